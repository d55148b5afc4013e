"""The operators' admin commands (`partnerapp ...`) and the recounts they run."""
