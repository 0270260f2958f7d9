//! Unit enums read from their JSON names through one shared lookup. serde's derive compiles a
//! whole enum visitor (string and map forms) per type: 1.3–2.5 KB of the designer's wasm each.
//! `enum_by_name!` declares such an enum with each variant's JSON name written once: serialization
//! stays derived (a `rename` per variant), deserialization goes through the lookup;
//! `names_match_serde` below checks the two agree.

/// The position of `name` in `names`, or serde's "unknown variant" error.
pub(crate) fn position<E: serde::de::Error>(
    name: &str,
    names: &'static [&'static str],
) -> Result<usize, E> {
    names
        .iter()
        .position(|n| *n == name)
        .ok_or_else(|| E::unknown_variant(name, names))
}

/// `impl Deserialize` for a `Copy` unit enum from its variants' JSON names, in order.
macro_rules! deserialize_by_name {
    ($ty:ident { $($variant:ident = $name:literal),+ $(,)? }) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                const NAMES: &[&str] = &[$($name),+];
                const ALL: &[$ty] = &[$($ty::$variant),+];
                let name = String::deserialize(d)?;
                crate::names::position(&name, NAMES).map(|i| ALL[i])
            }
        }

        #[cfg(test)]
        impl $ty {
            /// Every variant, for tests.
            pub(crate) const ALL_FOR_TESTS: &'static [$ty] = &[$($ty::$variant),+];
        }
    };
}
pub(crate) use deserialize_by_name;

/// Declare a unit enum whose variants carry their JSON names (`Variant = "name"`): the enum as
/// written (its attributes must derive `Serialize`), a serde `rename` per variant, and
/// [`deserialize_by_name!`] over the same names.
macro_rules! enum_by_name {
    (
        $(#[$meta:meta])*
        $vis:vis enum $ty:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $name:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $ty {
            $( $(#[$vmeta])* #[serde(rename = $name)] $variant ),+
        }

        crate::names::deserialize_by_name!($ty { $($variant = $name),+ });
    };
}
pub(crate) use enum_by_name;

#[cfg(test)]
mod tests {
    use crate::catalog::Visibility;
    use crate::connector::{
        ApiVisibility, AuthKind, ConnectionParameterKind, ConnectionStatus, ParamLocation,
        UrlEncoding,
    };
    use crate::execute::BodyKind;
    use serde::{de::DeserializeOwned, Serialize};

    fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(all: &[T]) {
        for v in all {
            let text = serde_json::to_string(v).unwrap();
            assert_eq!(&serde_json::from_str::<T>(&text).unwrap(), v, "{text}");
        }
        let err = serde_json::from_str::<T>(r#""nope""#)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("unknown variant `nope`, expected "),
            "{err}"
        );
        assert!(serde_json::from_str::<T>("3").is_err());
    }

    #[test]
    fn names_match_serde() {
        round_trip(AuthKind::ALL_FOR_TESTS);
        round_trip(ApiVisibility::ALL_FOR_TESTS);
        round_trip(ParamLocation::ALL_FOR_TESTS);
        round_trip(ConnectionParameterKind::ALL_FOR_TESTS);
        round_trip(ConnectionStatus::ALL_FOR_TESTS);
        round_trip(Visibility::ALL_FOR_TESTS);
        round_trip(UrlEncoding::ALL_FOR_TESTS);
        round_trip(BodyKind::ALL_FOR_TESTS);
        assert_eq!(AuthKind::ALL_FOR_TESTS.len(), 5);
        assert_eq!(ConnectionParameterKind::ALL_FOR_TESTS.len(), 6);
    }
}
