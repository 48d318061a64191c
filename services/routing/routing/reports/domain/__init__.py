"""Pure report arithmetic: periods, growth and the Wage Security Index. No I/O."""
