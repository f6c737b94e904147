// The canonical JSON form of a measurement model: the body of GET /api/v1/model and
// the form in which model versions are stored. Keys are written in a fixed order,
// so the same model always gives the same bytes.
#pragma once

#include <boost/json/value.hpp>
#include <string>

#include "domain/model.hpp"

namespace kaiku::modelfile {

// Builds the JSON value:
// {"version","county","county_name","contacts"?:{"accessibility_email"?,
//  "accessibility_phone"?,"statement_date"?,"complaints_url"?,"complaints_phone"?},
//  "languages","reporting_threshold",
//  "units":[{"id","parent"(null for the root),"kind","name":{lang:text},
//            "codes":[{"system","value"}],"keywords":[...]}],
//  "journeys":[{"id","name","stages":[{"id","name"}]}],
//  "touchpoints":[{"id","name","journey","stage","units","survey","child_survey"|null,
//                  "relative_survey"|null,"channels","frequency":{"kind","share"?,
//                  "windows"?:[{"month","day","days"}],"contact_cap":{"max","days"}},
//                  "sms"?:{"mode":"link"|"reply","daily_cap","min_age"|null,
//                          "followup_question"|null}}],
//  "surveys":[{"id","title","intro"?,"audience","allow_on_behalf","kiosk_question"|null,
//              "kiosk_followup"|null,"questions":[{"key","type","required","text",
//              "help"?,"options"?:[{"key","label"}],"low_label"?,"high_label"?,
//              "consent"?,"max_length"?}]}],
//  "targets":[{"unit","indicator","value"}],
//  "outreach"?:{"enabled","min_age","consent_required","sensitive_services",
//               "sensitive_units","follow_up_days","contact_cap_days","send_delay_days",
//               "send_from_hour","send_until_hour","send_window_days","reply_days",
//               "sender_id","senders":[{"sender","completed","cancels",
//               "unit_code_system"|null}],"mappings":[{"touchpoint","units",
//               "visit_types","services"}]},
//  "themes"?:[{"id","label":{lang:text},"fi":[...],"sv":[...],"en":[...]}],
//  "free_text"?:{"redact_staff_names","original_retention_days","original_readers"}}
// "sms", "outreach" and "free_text" are left out when they hold only the defaults,
// and "themes" when there are none (a model without them keeps the version it had
// before they existed).
// Texts are objects keyed by language tag ("fi","sv","en","fi-x-selko"), only the
// languages present. Optional texts ("?") are left out when empty.
boost::json::value model_to_json_value(const domain::Model& model);

// model_to_json_value serialized compactly.
std::string model_to_json(const domain::Model& model);

}  // namespace kaiku::modelfile
