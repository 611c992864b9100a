package models_test

import (
	"testing"

	"github.com/papi-dialogue/papi/models/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }
