//! `stepdeck` (the console) as a process: refused flags and environments, signals, the terminal.
