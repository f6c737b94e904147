// The county's public pages (no sign-in), one Mount per path prefix:
//  - "you said, we did": /sanoitte-teimme (fi), /ni-sade-vi-gjorde (sv),
//    /you-said-we-did (en); the bare path lists the areas with published actions,
//    /{prefix}/{area} shows the published actions of the area's subtree;
//  - results: /tulokset (fi), /resultat (sv), /results (en); /{prefix}/{area} shows
//    NPS of the last 30 days and the core statements (see docs/public-pages.md),
//    the bare path redirects to the county's page.
// Pages are server-rendered HTML (web/pages.hpp); results carry
// Cache-Control: public, max-age=300, the actions page max-age=60. The figures of
// a results page are computed at most once per area every 5 minutes (by the clock)
// and shared by the three languages.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/clock.hpp"
#include "domain/model.hpp"
#include "http/mount.hpp"
#include "service/action_service.hpp"
#include "service/report_service.hpp"

namespace kaiku::http {

// The core statements of `area` on the results page: the agreement questions of
// the main surveys of the touchpoints measured in the area's subtree or at a node
// above it, in touchpoint and then question order, each key once.
std::vector<const domain::Question*> core_statements(const domain::Model& model, const std::string& area);

// Builds the six mounts. `reports` may be null (no reporting engine): the results
// pages then answer 503. References must outlive the mounts.
std::vector<std::unique_ptr<Mount>> make_public_mounts(const domain::Model& model,
                                                       const service::ActionService& actions,
                                                       const service::ReportService* reports, Clock& clock);

}  // namespace kaiku::http
