"""The domain rules. Nothing in here imports Textual."""
