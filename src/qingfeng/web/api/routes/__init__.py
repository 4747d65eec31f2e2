"""One router per resource; the registry decides which are mounted."""
