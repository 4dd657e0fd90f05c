"""Careers and training in the web application: pages over the pure `training` engine."""
