"""Reusable widgets: customer header, status bar, forms, one module per tab."""
