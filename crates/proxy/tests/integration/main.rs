//! The proxy's integration tests: one test binary (one build and link instead of one per file),
//! a module per resource, sharing the harness in `common` and the nginx fixture services in
//! `upstream_server`. Every test runs on SQLite, and on PostgreSQL too when
//! `PLUGBOARD_TEST_POSTGRES_URL` is set.

mod common;
mod echo_server;
mod graph_server;
mod oauth_server;
mod upstream_server;

mod access;
mod bad_requests;
mod catalog;
mod connection_test;
mod connections;
mod environments;
mod execute;
mod favourites;
mod fixture_connectors;
mod graph;
mod headers;
mod importer;
mod oauth;
mod openapi;
mod references;
mod replicas;
mod rotate;
mod session;
mod shares;
mod sign_in_throttle;
mod static_files;
mod tokens;
mod users;
