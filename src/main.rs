//! Entry point: parses the command line, picks the backend and starts the console.

fn main() {}
