module twoleaks

go 1.19
