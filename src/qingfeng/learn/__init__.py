"""Learning from the rulebook: the quiz built from each rule's pass and fail examples."""
