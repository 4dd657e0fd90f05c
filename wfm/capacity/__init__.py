"""Capacity planning pages: scenarios built from the live centre, their plans compared side by side."""
