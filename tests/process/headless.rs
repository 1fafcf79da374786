//! `stepdeck timeline` as a process: streams, pipes, limits and untrusted text.
