package main

import (
	"strings"
	"testing"
)

func TestAttachmentConfig(t *testing.T) {
	for name, vars := range map[string]map[string]string{
		"PAPI_ATTACHMENTS_URL":    {"PAPI_ATTACHMENTS_URL": "https://bucket.example/papi"},
		"PAPI_UPLOAD_MAX_FILE":    {"PAPI_UPLOAD_MAX_FILE": "huge"},
		"PAPI_UPLOAD_MAX_REQUEST": {"PAPI_UPLOAD_MAX_FILE": "30MB", "PAPI_UPLOAD_MAX_REQUEST": "10MB"},
	} {
		_, err := loadConfig(func(k string) string { return vars[k] })
		if err == nil || !strings.HasPrefix(err.Error(), name) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: err %v", name, err)
		}
	}
	c, err := loadConfig(func(k string) string {
		return map[string]string{"PAPI_UPLOAD_MAX_FILE": "50MB", "PAPI_ATTACHMENTS_URL": "s3://k:s@127.0.0.1:9000/papi"}[k]
	})
	if err != nil || c.UploadMaxFile != 50_000_000 || c.UploadMaxRequest != 50_000_000 || c.AttachmentsURL == "" {
		t.Fatalf("config %+v, %v", c, err)
	}
	c, _ = loadConfig(func(string) string { return "" })
	if c.UploadMaxFile != 20<<20 || c.UploadMaxRequest != 20<<20 || c.AttachmentsURL != "" {
		t.Fatalf("default attachment config %+v", c)
	}
}
