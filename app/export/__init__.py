"""Exporters: PNG/SVG/PDF/clipboard of a chart (render), PowerPoint decks (pptx), the CLI."""
