"""Widgets, docks and map tools. They hand work to core/ and processing/."""
