module watchsvc

go 1.19
