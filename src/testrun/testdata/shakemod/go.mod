module shakemod

go 1.19
