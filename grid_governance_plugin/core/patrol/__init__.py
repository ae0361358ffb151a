"""Grid workers' patrols (巡查): track import and cleaning, coverage per grid and worker."""
