// JUnit XML for CI gates, rendered from typed results: one <testsuite> per
// scenario, one <testcase> per expectation with classname = the scenario
// file (GitLab shows it as the suite), <failure> when the cluster missed a
// target (message: target and measured value), <error> when the harness or
// infrastructure broke, <skipped> with the reason. Suite properties: seed,
// component versions, topology and the settings under test. Times in
// seconds with a dot and three decimals. Pure and deterministic: the same
// results give the same bytes, which is how `pgha-chaos report` proves a
// re-render matches the original. Valid against tests/schemas/junit-10.xsd.
// Every (classname, name) pair is unique in the file; each scenario's
// cases take the classname given (`cls`). A trial set adds a
// test case per run ("trial K of N") and, inside each target's case, the
// runs that missed it as Surefire's <flakyFailure> (the set met the target)
// or <rerunFailure> (it did not).
// A run with list-append transactions has one more test case per anomaly
// type the checker names ("anomaly G1c"): a failure when some were found
// and a target on them (anomalies, or anomalies.<type>) was missed, with
// the first explanation; otherwise the count in its output.
#pragma once

#include <string>
#include <vector>

#include "result/baseline.h"
#include "result/result.h"

namespace pgha {

// With a baseline, one more test suite: a test case per comparison, a
// failure per regression.
std::string RenderJUnit(const std::vector<const ScenarioResult*>& results,
                        const BaselineComparison* baseline = nullptr);
std::string RenderJUnit(const std::vector<ScenarioResult>& results, const BaselineComparison* baseline = nullptr);
// The anomaly test cases of one run (junit_anomalies.cc); adds to the counts.
std::string AnomalyTestCases(const ScenarioResult& r, const std::string& cls, int* tests, int* failures);
// A trial set's runs that missed target `index`, as Surefire writes reruns:
// <flakyFailure> when the set met the target, <rerunFailure> when it
// missed it (junit_trials.cc).
std::string RunMisses(const ScenarioResult& r, size_t index);
// A test case per run of a trial set, "trial K of N"; adds to the counts.
std::string TrialTestCases(const ScenarioResult& r, const std::string& cls, int* tests, int* failures, int* errors);
// A known bug's versioned verdict as one test case, failed when unexpected (junit_patroni.cc).
std::string KnownBugTestCase(const ScenarioResult& r, const std::string& cls, int* tests, int* failures);
// What Patroni ran with: effective.patroni.<setting>, its adjustments and their confirmation.
void EffectiveProperties(const ScenarioResult& r, std::string* props);
// Each planned operation's window as operation.<id>.* properties (html_operations.cc).
void OperationProperties(const Measurements& m, std::string* props);
void Property(std::string* out, const std::string& name, const std::string& value);
// XML text and attribute escaping; drops characters XML 1.0 cannot carry.
std::string XmlEscape(const std::string& text);

}  // namespace pgha
