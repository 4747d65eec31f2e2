"""The records every layer shares (messages, findings) and the user-facing words (i18n)."""
