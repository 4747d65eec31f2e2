"""The official-message coach: the parts of a work message, notices drafted and fitted into shape, and the
working calendar the messages are timed against."""
