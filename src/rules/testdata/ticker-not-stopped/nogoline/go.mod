module fixtures
