"""Online undercover operations (lokprofielen) under a prosecutor's written order."""
