package api

import (
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// openAPI is the part of openapi.yaml the tests check.
type openAPI struct {
	OpenAPI    string                    `yaml:"openapi"`
	Paths      map[string]map[string]any `yaml:"paths"`
	Components struct {
		Schemas map[string]struct {
			Properties map[string]any `yaml:"properties"`
			Required   []string       `yaml:"required"`
		} `yaml:"schemas"`
	} `yaml:"components"`
}

func readOpenAPI(t *testing.T) (openAPI, any) {
	t.Helper()
	raw, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc openAPI
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	var tree any
	if err := yaml.Unmarshal(raw, &tree); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Fatalf("openapi.yaml is OpenAPI %q, want 3.1", doc.OpenAPI)
	}
	return doc, tree
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// Every route Handler serves is in the document, and the document has no
// route the server lacks.
func TestOpenAPIHasEveryRoute(t *testing.T) {
	doc, _ := readOpenAPI(t)
	var documented, served []string
	for path, item := range doc.Paths {
		for key := range item {
			if slices.Contains(httpMethods, key) {
				documented = append(documented, strings.ToUpper(key)+" "+path)
			}
		}
	}
	for _, r := range routes {
		served = append(served, r.method+" "+r.path)
	}
	sort.Strings(documented)
	sort.Strings(served)
	for _, r := range served {
		if !slices.Contains(documented, r) {
			t.Errorf("route %s is served but not in openapi.yaml", r)
		}
	}
	for _, r := range documented {
		if !slices.Contains(served, r) {
			t.Errorf("route %s is in openapi.yaml but not served", r)
		}
	}
}

// Every $ref names something the document defines.
func TestOpenAPIRefsResolve(t *testing.T) {
	_, tree := readOpenAPI(t)
	var walk func(node any, at string)
	walk = func(node any, at string) {
		switch n := node.(type) {
		case map[string]any:
			for k, v := range n {
				if ref, ok := v.(string); ok && k == "$ref" {
					if !resolves(tree, ref) {
						t.Errorf("%s: $ref %q names nothing", at, ref)
					}
					continue
				}
				walk(v, at+"/"+k)
			}
		case []any:
			for _, v := range n {
				walk(v, at)
			}
		}
	}
	walk(tree, "")
}

func resolves(tree any, ref string) bool {
	path, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return false
	}
	node := tree
	for _, step := range strings.Split(path, "/") {
		m, ok := node.(map[string]any)
		if !ok {
			return false
		}
		if node, ok = m[step]; !ok {
			return false
		}
	}
	return true
}

// wireTypes are the Go types the schemas of the document describe.
var wireTypes = map[string]any{
	"ErrorBody": errorBody{}, "Error": Error{}, "Info": Info{},
	"Session": Session{}, "QR": QR{}, "LinkCode": LinkCode{}, "QueueSummary": QueueSummary{},
	"Pacing": Pacing{}, "PacingSettings": PacingSettings{}, "Event": Event{}, "Job": Job{},
	"QueueStats": QueueStats{}, "Chat": Chat{}, "Message": Message{},
	"FileInfo": FileInfo{}, "Location": Location{}, "ContactCard": ContactCard{}, "QuotedMessage": QuotedMessage{},
	"Reaction": Reaction{}, "Poll": Poll{}, "PollOption": PollOption{},
	"SessionList": SessionList{}, "EventList": EventList{}, "JobList": JobList{}, "ChatList": ChatList{}, "MessageList": MessageList{},
	"Deleted": Deleted{}, "Retried": Retried{}, "Discarded": Discarded{},
	"AddRequest": AddRequest{}, "SettingsRequest": SettingsRequest{}, "PacingRequest": PacingRequest{},
	"Browser": Browser{}, "BrowserRequest": BrowserRequest{},
	"DoctorInfo": DoctorInfo{}, "BrowserCheck": BrowserCheck{}, "DoctorLine": DoctorLine{},
	"PairRequest": PairRequest{}, "SendRequest": SendRequest{}, "SendResponse": SendResponse{}, "PairingEvent": PairingEvent{},
	"WebhookRequest": WebhookRequest{}, "Webhook": Webhook{}, "WebhookList": WebhookList{}, "WebhookTestRequest": WebhookTestRequest{},
	"Delivery": Delivery{}, "DeliveryList": DeliveryList{}, "Removed": Removed{},
	"Inbox": Inbox{}, "InboundMessage": InboundMessage{}, "InboxList": InboxList{}, "InboxRequest": InboxRequest{},
	"Drain": Drain{}, "DrainChat": DrainChat{}, "DrainRequest": DrainRequest{},
	"SearchList": SearchList{}, "SearchHit": SearchHit{},
	"APIKeyRequest": APIKeyRequest{}, "APIKey": APIKey{}, "NewAPIKey": NewAPIKey{}, "APIKeyList": APIKeyList{}, "Revoked": Revoked{},
	"Alert": Alert{}, "AlertList": AlertList{}, "AlertThresholds": AlertThresholds{}, "AlertingSet": AlertingSet{}, "AlertingRequest": AlertingRequest{},
}

// Each schema has exactly the JSON fields of its Go type, and requires
// exactly those the type always writes (no omitempty or omitzero).
func TestOpenAPISchemasMatchTheWireTypes(t *testing.T) {
	doc, _ := readOpenAPI(t)
	for name, schema := range doc.Components.Schemas {
		if name == "Duration" {
			continue // a string, Duration's MarshalJSON
		}
		v, ok := wireTypes[name]
		if !ok {
			t.Errorf("schema %s describes no wire type of package api", name)
			continue
		}
		var fields, always []string
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			tag := rt.Field(i).Tag.Get("json")
			name, opts, _ := strings.Cut(tag, ",")
			if name == "" || name == "-" {
				t.Fatalf("%s.%s has no JSON name", rt.Name(), rt.Field(i).Name)
			}
			fields = append(fields, name)
			if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
				always = append(always, name)
			}
		}
		var props []string
		for p := range schema.Properties {
			props = append(props, p)
		}
		required := slices.Clone(schema.Required)
		for _, s := range [][]string{fields, always, props, required} {
			sort.Strings(s)
		}
		if !slices.Equal(props, fields) {
			t.Errorf("schema %s has properties %v, type %s has fields %v", name, props, rt.Name(), fields)
		}
		if !slices.Equal(required, always) {
			t.Errorf("schema %s requires %v, type %s always writes %v", name, required, rt.Name(), always)
		}
	}
	for name := range wireTypes {
		if _, ok := doc.Components.Schemas[name]; !ok {
			t.Errorf("wire type %s has no schema in openapi.yaml", name)
		}
	}
}
