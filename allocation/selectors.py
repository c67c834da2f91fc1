"""Read-side queries of the app (joins, summaries) used by views and other apps."""
