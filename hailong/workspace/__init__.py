"""The staff's workspace: the home page of each role and the navigation, which read every app
below (organisation, surveys, feedback), so that no lower app depends on the ones above it."""
