module github.com/ottwatch/ottwatch

go 1.26
