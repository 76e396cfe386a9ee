#include "faults/delay_keys.h"

#include <fmt/format.h>

namespace pgha {

void ReadDelayKeys(FaultReadContext& r, Duration max, const std::string& max_text, DelayModel* model) {
  r.map.Require("delay");
  Duration delay{}, jitter{};
  r.map.Dur("delay", &delay);
  r.map.Dur("jitter", &jitter);
  model->delay_ms = std::chrono::duration<double, std::milli>(delay).count();
  model->jitter_ms = std::chrono::duration<double, std::milli>(jitter).count();
  if (auto d = r.map.Node("delay"); d && delay.count() <= 0)
    r.map.ErrorAt(*d, "a delay of 0 delays nothing: write one, e.g. delay: 200ms");
  if (delay > max) r.map.ErrorAt(*r.map.Node("delay"), fmt::format("a delay is at most {}", max_text));
  std::string dist = "uniform";
  r.map.Name("distribution", &dist);
  if (auto d = DistributionFromName(dist))
    model->distribution = *d;
  else
    r.map.ErrorAt(*r.map.Node("distribution"), "distribution is uniform, normal or pareto");
  if (r.map.Has("distribution") && jitter.count() <= 0)
    r.map.ErrorAt(*r.map.Node("distribution"), "a distribution shapes the jitter: set jitter too, e.g. jitter: 20ms");
}

}  // namespace pgha
