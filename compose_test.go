package main

import (
	"context"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
)

// TestComposeFileIsValid loads docker-compose.yml with compose-go, the loader and
// schema validation that `docker compose config` itself uses, since no Docker engine or
// compose plugin runs on the team's machines.
func TestComposeFileIsValid(t *testing.T) {
	opts, err := cli.NewProjectOptions([]string{"docker-compose.yml"}, cli.WithOsEnv, cli.WithName("backchannel"))
	if err != nil {
		t.Fatal(err)
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("docker-compose.yml does not load: %v", err)
	}
	neo4j, err := project.GetService("neo4j")
	if err != nil {
		t.Fatal(err)
	}
	if neo4j.Image != "neo4j:5.26-community" {
		t.Errorf("neo4j image: got %q, want neo4j:5.26-community", neo4j.Image)
	}
	if neo4j.HealthCheck == nil || len(neo4j.HealthCheck.Test) == 0 {
		t.Error("neo4j has no healthcheck")
	}
	loader, err := project.GetService("loader")
	if err != nil {
		t.Fatal(err)
	}
	if loader.Build == nil || loader.Build.Dockerfile != "Dockerfile" {
		t.Errorf("loader is not built from the repo's Dockerfile: %+v", loader.Build)
	}
	if dep, ok := loader.DependsOn["neo4j"]; !ok || dep.Condition != "service_healthy" {
		t.Errorf("loader must wait for a healthy neo4j, got %+v", loader.DependsOn)
	}
	if got := loader.Command; len(got) != 1 || got[0] != "load" {
		t.Errorf("loader command: got %q, want [load]", got)
	}
	if got := loader.Environment["NEO4J_URI"]; got == nil || *got != "bolt://neo4j:7687" {
		t.Errorf("loader NEO4J_URI: got %v, want bolt://neo4j:7687", got)
	}
}
