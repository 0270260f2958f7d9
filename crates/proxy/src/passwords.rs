//! Passwords: the rules for a new one (length, not a common one, not the user name), argon2id
//! hashing and verification off the async threads under a bound on how many run at once (a flood
//! of sign-ins waits for a turn instead of starving every other request), and the same work for an
//! unknown user name as for a known one (verified against a dummy hash made once), so timing does
//! not tell which accounts exist.

use crate::error::{ApiError, ApiResult};
use crate::Settings;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::collections::HashSet;
use std::sync::LazyLock;
use tokio::sync::{OnceCell, Semaphore};

/// Common passwords (lower case), shipped with the proxy.
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("passwords/common.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
});

/// A new password's rules; `username` is the account it is for.
pub fn validate(password: &str, username: &str) -> ApiResult<()> {
    if password.chars().count() < 8 || password.len() > 1024 {
        return Err(ApiError::Validation(
            "password: at least 8 characters (at most 1024 bytes)".into(),
        ));
    }
    let lower = password.to_lowercase();
    if COMMON.contains(lower.as_str()) {
        return Err(ApiError::Validation(
            "password: this is one of the most common passwords; choose another".into(),
        ));
    }
    if lower == username.to_lowercase() {
        return Err(ApiError::Validation(
            "password: must not be the user name".into(),
        ));
    }
    Ok(())
}

/// Hashing and verification with the configured argon2 parameters, a bounded number at a time.
pub struct Passwords {
    argon: Argon2<'static>,
    /// Argon2 jobs allowed at once: one per core.
    gate: Semaphore,
    /// What an unknown user name is verified against.
    dummy: OnceCell<String>,
}

impl Passwords {
    pub fn new(settings: &Settings) -> Result<Self, String> {
        let params = Params::new(
            settings.argon2_m_kib,
            settings.argon2_t,
            settings.argon2_p,
            None,
        )
        .map_err(|e| format!("argon2 parameters: {e}"))?;
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Ok(Passwords {
            argon: Argon2::new(Algorithm::Argon2id, Version::V0x13, params),
            gate: Semaphore::new(cores),
            dummy: OnceCell::new(),
        })
    }

    /// Runs `job` with the argon2 instance on the blocking pool once a turn is free.
    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&Argon2<'static>) -> T + Send + 'static,
    ) -> ApiResult<T> {
        let _turn = self.gate.acquire().await.map_err(ApiError::internal)?;
        let argon = self.argon.clone();
        tokio::task::spawn_blocking(move || job(&argon))
            .await
            .map_err(ApiError::internal)
    }

    /// A password's argon2id hash (random salt).
    pub async fn hash(&self, password: String) -> ApiResult<String> {
        let salt = SaltString::encode_b64(&crate::crypto::random_bytes::<16>())
            .map_err(ApiError::internal)?;
        self.run(move |a| {
            a.hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(ApiError::internal)
        })
        .await?
    }

    /// Whether `password` matches `hash`; with no hash (an unknown user name) the same work is
    /// done against the dummy hash and the answer is no.
    pub async fn verify(&self, password: String, hash: Option<String>) -> bool {
        let known = hash.is_some();
        let hash = match hash {
            Some(h) => h,
            None => match self
                .dummy
                .get_or_try_init(|| self.hash("not anyone's password".into()))
                .await
            {
                Ok(h) => h.clone(),
                Err(_) => return false,
            },
        };
        self.run(move |a| {
            PasswordHash::new(&hash)
                .map(|h| a.verify_password(password.as_bytes(), &h).is_ok())
                .unwrap_or(false)
        })
        .await
        .unwrap_or(false)
            && known
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_short_common_and_own_name() {
        assert!(validate("short", "ann").is_err());
        for common in [
            "password",
            "Password",
            "PASSWORD1",
            "12345678",
            "iloveyou1",
            "trustno1",
        ] {
            let e = validate(common, "ann").unwrap_err().to_string();
            assert!(e.contains("most common"), "{common}: {e}");
        }
        let e = validate("Ann.Smith-1987", "ann.smith-1987").unwrap_err();
        assert!(e.to_string().contains("user name"));
        validate("correct horse battery staple", "ann").unwrap();
        validate("bench password 1", "bench").unwrap();
    }

    #[test]
    fn the_list_is_lower_case_and_long_enough_to_matter() {
        assert!(COMMON.len() > 2000);
        assert!(COMMON
            .iter()
            .all(|p| p.chars().count() >= 8 && *p == p.to_lowercase()));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn at_most_one_argon2_job_per_core_runs_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let p = Arc::new(Passwords::new(&Settings::for_tests(".".into())).unwrap());
        let live = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let jobs: Vec<_> = (0..16)
            .map(|_| {
                let (p, live, peak) = (p.clone(), live.clone(), peak.clone());
                tokio::spawn(async move {
                    p.run(move |_| {
                        let n = live.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(n, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(5));
                        live.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
                })
            })
            .collect();
        for j in jobs {
            j.await.unwrap().unwrap();
        }
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let peak = peak.load(Ordering::SeqCst);
        assert!(
            (1..=cores).contains(&peak),
            "{peak} jobs at once on {cores} cores"
        );
    }

    #[tokio::test]
    async fn unknown_users_never_verify() {
        let p = Passwords::new(&Settings::for_tests(".".into())).unwrap();
        let h = p.hash("a fine password".into()).await.unwrap();
        assert!(p.verify("a fine password".into(), Some(h.clone())).await);
        assert!(!p.verify("another one".into(), Some(h)).await);
        assert!(!p.verify("not anyone's password".into(), None).await);
        assert!(!p.verify("a fine password".into(), None).await);
    }
}
