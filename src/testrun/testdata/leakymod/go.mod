module example.com/leakymod

go 1.19
