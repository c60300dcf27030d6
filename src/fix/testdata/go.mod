module fixes

go 1.19
