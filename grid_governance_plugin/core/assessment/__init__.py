"""Assessment and rankings (考核与排名): three rates, configurable items, rankings, CSV and PDF."""
