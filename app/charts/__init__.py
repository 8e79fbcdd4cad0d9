"""Charts drawn from core result objects only (no figures computed here)."""
