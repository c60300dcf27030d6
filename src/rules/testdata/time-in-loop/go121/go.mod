module fixtures

go 1.21
