"""Chokepoint desktop application (Qt). A thin layer over ``core``: no arithmetic here."""
