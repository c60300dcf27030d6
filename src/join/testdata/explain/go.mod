module explainfixture

go 1.19
