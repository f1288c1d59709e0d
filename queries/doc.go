package queries

//go:generate go run ./internal/genparts
