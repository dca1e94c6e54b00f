package metrics

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
)

// madeByPrometheus are the series Prometheus writes itself for a target.
var madeByPrometheus = map[string]bool{"up": true}

// exportedNames lists every metric name a scrape shows, a histogram's
// _bucket, _sum and _count included, after a session has lived a little.
func exportedNames(t *testing.T) map[string]bool {
	t.Helper()
	m, rt, _ := newTest(t)
	feedFor(rt, "ops")
	waitFor(t, "the feed to take every send", func() bool { return m.feed.counts("ops").failures[failSendError] == 1 })
	families, err := m.Gatherer().Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range families {
		names[f.GetName()] = true
		if f.GetType().String() == "HISTOGRAM" {
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				names[f.GetName()+suffix] = true
			}
		}
	}
	return names
}

// unknownMetrics parses a PromQL expression and returns the metric names
// it selects that nothing exports.
func unknownMetrics(p parser.Parser, expr string, exported map[string]bool) ([]string, error) {
	e, err := p.ParseExpr(expr)
	if err != nil {
		return nil, err
	}
	var unknown []string
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok && !exported[vs.Name] && !madeByPrometheus[vs.Name] {
			unknown = append(unknown, vs.Name)
		}
		return nil
	})
	return unknown, nil
}

func checkExprs(t *testing.T, file string, exprs map[string]string, exported map[string]bool) {
	t.Helper()
	p := parser.NewParser(parser.Options{})
	for where, expr := range exprs {
		unknown, err := unknownMetrics(p, expr, exported)
		if err != nil {
			t.Errorf("%s: %s: %q does not parse: %v", file, where, expr, err)
		}
		if len(unknown) > 0 {
			t.Errorf("%s: %s: %q uses %v, which waconsole does not export", file, where, expr, unknown)
		}
	}
}

func TestPrometheusRulesParseAndUseExportedMetrics(t *testing.T) {
	const file = "../deploy/prometheus-rules.yml"
	groups, errs := rulefmt.ParseFile(file, false, model.UTF8Validation, parser.NewParser(parser.Options{}), slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, err := range errs {
		t.Errorf("%s: %v", file, err)
	}
	exprs := map[string]string{}
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			exprs["alert "+r.Alert] = r.Expr
			if r.Labels["severity"] == "" || r.Annotations["summary"] == "" {
				t.Errorf("%s: alert %s needs a severity label and a summary", file, r.Alert)
			}
		}
	}
	// One rule per trouble the deploy docs promise an alert for.
	for _, want := range []string{"WaconsoleSessionNotConnected", "WaconsoleQueueDepthHigh", "WaconsoleSendFailures",
		"WaconsoleWebhookDeliveriesDead", "WaconsoleUpdateDrops", "WaconsoleUncleanRestart"} {
		if exprs["alert "+want] == "" {
			t.Errorf("%s has no alert %s", file, want)
		}
	}
	checkExprs(t, file, exprs, exportedNames(t))
}

func TestGrafanaDashboardUsesExportedMetrics(t *testing.T) {
	const file = "../deploy/grafana-dashboard.json"
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Title  string
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	exprs := map[string]string{}
	for _, p := range dash.Panels {
		for i, tg := range p.Targets {
			exprs[fmt.Sprintf("panel %q target %d", p.Title, i)] = tg.Expr
		}
	}
	if len(exprs) < 8 {
		t.Fatalf("%s has %d queries; want a panel per main metric", file, len(exprs))
	}
	checkExprs(t, file, exprs, exportedNames(t))
}

// The check above must catch a misspelt metric and a broken expression.
func TestUnknownMetricsCatchesMistakes(t *testing.T) {
	p := parser.NewParser(parser.Options{})
	exported := map[string]bool{"waconsole_queue_depth": true}
	if unknown, err := unknownMetrics(p, `sum(rate(waconsole_queue_dept[5m])) > 0 or up == 0 or waconsole_queue_depth > 1`, exported); err != nil || strings.Join(unknown, ",") != "waconsole_queue_dept" {
		t.Fatalf("unknown = %v, %v; want the misspelt name alone", unknown, err)
	}
	if _, err := unknownMetrics(p, `waconsole_queue_depth >`, exported); err == nil {
		t.Fatal("a broken expression parsed")
	}
}
