// The checklist (bench/checklist.py) written by hand in C++ over a struct: the
// practical limit for evaluating it. Unknown facts are kept (a known flag or -1)
// and every condition is in negation normal form with each atom true only for a
// known fact, which is exactly when Kleene's logic says the rule fires.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace handwritten {

enum Separation : std::int8_t { unaccompanied, separated, accompanied };
enum Placement : std::int8_t {
    family, kinship, foster, small_group_home, child_reception, adult_reception, independent_living, no_accommodation
};

// -1 = unknown for bools (0/1) and enums (index); sets hold bits and a known flag.
struct Facts {
    std::int8_t views_heard = -1, views_interpreter_used = -1, views_weighing_recorded = -1,
                child_interpreter_needed = -1, identity_documents_available = -1,
                identity_background_respected = -1, identity_statelessness_risk = -1, family_tracing_risk = -1,
                family_in_other_state = -1, family_reunification_route_started = -1, family_assessment_done = -1,
                family_siblings_present = -1, family_siblings_together = -1, family_contact_arranged = -1,
                escort_verified = -1, placement_with_unrelated_adults = -1, placement_child_feels_safe = -1,
                child_married = -1, vulnerability_disability = -1, vulnerability_disability_support = -1,
                child_pregnant_or_parent = -1, vulnerability_parent_support = -1, health_urgent_need = -1,
                health_psych_distress = -1, health_psych_support = -1, health_untreated_need = -1,
                health_access_to_care = -1, education_enrolled = -1, education_attending = -1,
                guardian_conflict_of_interest = -1, guardian_appointed = -1, guardian_met_child = -1,
                age_disputed = -1, age_documents_presented = -1, exploitation_referred = -1,
                disappearance_currently_missing = -1, disappearance_return_interview_done = -1,
                procedure_lawyer_assigned = -1, violence_disclosed = -1, violence_witnessed = -1,
                violence_barnahus_referral = -1, placement_care_plan = -1, violence_suspected = -1,
                violence_by_caregiver = -1, violence_sexual = -1, violence_physical_injury = -1,
                procedure_transfer_to_family = -1, violence_perpetrator_has_access = -1;
    // enums
    std::int8_t separation = -1, placement_type = -1, tracing_status = -1, escort_relation = -1, bid_status = -1,
                age_assessment_status = -1, birth_date_source = -1, detention_status = -1, asylum_status = -1;
    // sets
    std::uint16_t pending = 0, indicators = 0, age_methods = 0, bid_professions = 0, punishment = 0, where = 0;
    bool pending_known = false, indicators_known = false, age_methods_known = false, bid_professions_known = false,
         punishment_known = false, where_known = false;
    bool bia_completed_known = false, birth_date_known = false;
    bool episodes_known = false;
    double episodes = 0;
};

// Set members and enum values by index, as the pack declares them.
namespace pd { enum : std::uint16_t { asylum = 1, transfer = 2, return_ = 4, family_reunification = 8 }; }
namespace ind {
enum : std::uint16_t {
    documents_held_by_other = 1, debt_bondage = 2, controlled_by_adult = 4, sexual_exploitation_signs = 8,
    scripted_story = 16, work_or_lives_at_workplace = 32, kept_from_school = 64
};
}
namespace methods { enum : std::uint16_t { sexual_maturity = 32 }; }
namespace punish { enum : std::uint16_t { alternative_care = 2, reception = 4, school = 8, detention = 16 }; }
enum Tracing : std::int8_t { not_needed, not_started, consent_pending, in_progress, located, not_found, suspended_risk };
enum BidStatus : std::int8_t { bid_not_needed, bid_not_started, bid_in_progress, bid_done };
enum AgeStatus : std::int8_t { age_none, age_pending, age_done, age_appeal };

inline bool T(std::int8_t b) { return b == 1; }
inline bool F(std::int8_t b) { return b == 0; }

// One bit per rule, in the order of bench/checklist.py's RULES.
inline std::uint64_t evaluate(const Facts& f) {
    const bool without_parents = f.separation == unaccompanied || f.separation == separated;
    const bool with_adult = f.separation == separated || f.separation == accompanied;
    const bool unsettled_age = f.age_assessment_status == age_none || f.age_assessment_status == age_pending ||
                               f.age_assessment_status == age_appeal;
    const int pending_count = f.pending_known ? __builtin_popcount(f.pending) : -1;
    const int indicator_count = f.indicators_known ? __builtin_popcount(f.indicators) : -1;
    const bool episodes = f.episodes_known && f.episodes >= 1;
    // PROTECT 1.1's graded indicators: several = two medium ones or three of any grade.
    const int medium_count = f.indicators_known ? __builtin_popcount(f.indicators & (ind::scripted_story |
                                                                                     ind::work_or_lives_at_workplace |
                                                                                     ind::kept_from_school))
                                                : -1;
    const bool several = indicator_count >= 3 || medium_count >= 2;
    const bool strong = f.indicators_known && (f.indicators & (ind::documents_held_by_other | ind::debt_bondage |
                                                               ind::controlled_by_adult | ind::sexual_exploitation_signs));
    std::uint64_t r = 0;
    int i = 0;
    auto put = [&](bool b) { r |= static_cast<std::uint64_t>(b) << i++; };
    put(pending_count >= 1 && F(f.views_heard));
    put(T(f.child_interpreter_needed) && T(f.views_heard) && F(f.views_interpreter_used));
    put((f.bia_completed_known || f.bid_status == bid_done) && F(f.views_weighing_recorded));
    put(F(f.identity_documents_available));
    put(F(f.identity_background_respected));
    put(T(f.identity_statelessness_risk));
    put(T(f.family_tracing_risk) && (f.tracing_status == consent_pending || f.tracing_status == in_progress));
    put(T(f.family_in_other_state) && F(f.family_reunification_route_started));
    put(f.pending_known &&
        ((f.pending & pd::family_reunification) || ((f.pending & pd::transfer) && T(f.procedure_transfer_to_family))) &&
        F(f.family_assessment_done));
    put(T(f.family_siblings_present) && F(f.family_siblings_together));
    put(f.tracing_status == located && F(f.family_tracing_risk) && F(f.family_contact_arranged));
    put(f.escort_relation == 3 && with_adult);
    put(with_adult && F(f.escort_verified));
    put(f.placement_type == no_accommodation);
    put(without_parents && (T(f.placement_with_unrelated_adults) || f.placement_type == adult_reception));
    put(F(f.placement_child_feels_safe));
    put(T(f.child_married));
    put(T(f.vulnerability_disability) && F(f.vulnerability_disability_support));
    put(T(f.child_pregnant_or_parent) && F(f.vulnerability_parent_support));
    put(T(f.health_urgent_need));
    put(T(f.health_psych_distress) && F(f.health_psych_support));
    put(T(f.health_untreated_need));
    put(F(f.health_access_to_care));
    put(T(f.education_enrolled) && F(f.education_attending));
    put(without_parents && T(f.guardian_appointed) && T(f.guardian_conflict_of_interest));
    put(without_parents && T(f.guardian_appointed) && F(f.guardian_met_child));
    put(T(f.age_disputed) && unsettled_age);
    put((f.age_methods_known || (f.age_assessment_status >= 0 && f.age_assessment_status != age_none)) &&
        f.age_methods_known && (f.age_methods & methods::sexual_maturity));
    put(T(f.age_disputed) && T(f.age_documents_presented));
    put(f.birth_date_source == 3);
    put(!f.birth_date_known);
    put(T(f.age_disputed) && unsettled_age && f.detention_status >= 1);
    put(f.indicators_known && (f.indicators & ind::debt_bondage));
    put(f.indicators_known && (f.indicators & ind::controlled_by_adult));
    put(several);
    put((strong || several) && F(f.exploitation_referred));
    put(with_adult && F(f.escort_verified) && indicator_count >= 1);
    put(T(f.disappearance_currently_missing));
    put(episodes && indicator_count >= 1);
    put(episodes && F(f.disappearance_currently_missing) && F(f.disappearance_return_interview_done));
    put((f.asylum_status == 1 || f.asylum_status == 4 ||
         (f.pending_known && (f.pending & (pd::asylum | pd::return_ | pd::transfer)))) &&
        F(f.procedure_lawyer_assigned));
    // PROTECT 1.1: graded by the decision (any decision but asylum; asylum alone while a safeguard is missing).
    put(((f.pending_known && (f.pending & ~pd::asylum)) ||
         (f.pending_known && f.pending == pd::asylum &&
          ((without_parents && F(f.guardian_appointed)) || F(f.procedure_lawyer_assigned)))) &&
        !f.bia_completed_known);
    put(f.bid_status == bid_in_progress && f.bid_professions_known && __builtin_popcount(f.bid_professions) < 2);
    put(f.punishment_known && (f.punishment & (punish::alternative_care | punish::reception | punish::school |
                                               punish::detention)));
    put((T(f.violence_witnessed) ||
         ((T(f.violence_disclosed) || T(f.violence_suspected)) &&
          (F(f.violence_by_caregiver) || T(f.violence_sexual) || T(f.violence_physical_injury)))) &&
        F(f.violence_barnahus_referral) &&
        // PROTECT 1.1: not when the place is recorded as only abroad, nobody can reach the child and
        // support is in place (violence_no_barnahus_journey, medium, instead).
        (!f.where_known || f.where == 0 || (f.where & 1) || T(f.violence_perpetrator_has_access) ||
         F(f.health_psych_support)) &&
        // PROTECT 1.2: nor when the violence was only witnessed and is recorded as only abroad.
        (!T(f.violence_witnessed) || T(f.violence_disclosed) || T(f.violence_suspected) || !f.where_known ||
         f.where == 0 || (f.where & 1)));
    put((f.placement_type >= kinship && f.placement_type <= child_reception) && F(f.placement_care_plan));
    return r;
}

// Fills the struct from a parsed case (setup, not timed).
inline Facts bind(const nlohmann::json& c, const std::vector<std::vector<std::string>>& enums_unused = {}) {
    (void)enums_unused;
    Facts f;
    auto at = [&](std::string_view path) -> const nlohmann::json* {
        const nlohmann::json* j = &c;
        std::size_t start = 0;
        while (true) {
            const std::size_t dot = path.find('.', start);
            const std::string key(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
            if (!j->is_object()) return nullptr;
            auto it = j->find(key);
            if (it == j->end() || it->is_null()) return nullptr;
            j = &*it;
            if (dot == std::string_view::npos) return j;
            start = dot + 1;
        }
    };
    auto b = [&](std::string_view p, std::int8_t& out) {
        if (auto* v = at(p)) out = v->get<bool>() ? 1 : 0;
    };
    auto e = [&](std::string_view p, std::int8_t& out, std::initializer_list<const char*> members) {
        if (auto* v = at(p)) {
            std::int8_t i = 0;
            for (const char* m : members) {
                if (v->get<std::string>() == m) out = i;
                ++i;
            }
        }
    };
    auto s = [&](std::string_view p, std::uint16_t& bits, bool& known, std::initializer_list<const char*> members) {
        if (auto* v = at(p)) {
            known = true;
            for (const auto& x : *v) {
                std::uint16_t bit = 1;
                for (const char* m : members) {
                    if (x.get<std::string>() == m) bits |= bit;
                    bit = static_cast<std::uint16_t>(bit << 1);
                }
            }
        }
    };
    b("views.heard", f.views_heard);
    b("views.interpreter_used", f.views_interpreter_used);
    b("views.weighing_recorded", f.views_weighing_recorded);
    b("child.interpreter_needed", f.child_interpreter_needed);
    b("identity.documents_available", f.identity_documents_available);
    b("identity.background_respected", f.identity_background_respected);
    b("identity.statelessness_risk", f.identity_statelessness_risk);
    b("family.tracing_risk", f.family_tracing_risk);
    b("family.in_other_state", f.family_in_other_state);
    b("family.reunification_route_started", f.family_reunification_route_started);
    b("family.assessment_done", f.family_assessment_done);
    b("family.siblings_present", f.family_siblings_present);
    b("family.siblings_together", f.family_siblings_together);
    b("family.contact_arranged", f.family_contact_arranged);
    b("escort.verified", f.escort_verified);
    b("placement.with_unrelated_adults", f.placement_with_unrelated_adults);
    b("placement.child_feels_safe", f.placement_child_feels_safe);
    b("child.married", f.child_married);
    b("vulnerability.disability", f.vulnerability_disability);
    b("vulnerability.disability_support", f.vulnerability_disability_support);
    b("child.pregnant_or_parent", f.child_pregnant_or_parent);
    b("vulnerability.parent_support", f.vulnerability_parent_support);
    b("health.urgent_need", f.health_urgent_need);
    b("health.psych_distress", f.health_psych_distress);
    b("health.psych_support", f.health_psych_support);
    b("health.untreated_need", f.health_untreated_need);
    b("health.access_to_care", f.health_access_to_care);
    b("education.enrolled", f.education_enrolled);
    b("education.attending", f.education_attending);
    b("guardian.conflict_of_interest", f.guardian_conflict_of_interest);
    b("guardian.appointed", f.guardian_appointed);
    b("guardian.met_child", f.guardian_met_child);
    b("age.disputed", f.age_disputed);
    b("age.documents_presented", f.age_documents_presented);
    b("exploitation.referred", f.exploitation_referred);
    b("disappearance.currently_missing", f.disappearance_currently_missing);
    b("disappearance.return_interview_done", f.disappearance_return_interview_done);
    b("procedure.lawyer_assigned", f.procedure_lawyer_assigned);
    b("violence.disclosed", f.violence_disclosed);
    b("violence.witnessed", f.violence_witnessed);
    b("violence.barnahus_referral", f.violence_barnahus_referral);
    b("placement.care_plan", f.placement_care_plan);
    b("violence.suspected", f.violence_suspected);
    b("violence.by_caregiver", f.violence_by_caregiver);
    b("violence.sexual", f.violence_sexual);
    b("violence.physical_injury", f.violence_physical_injury);
    b("violence.perpetrator_has_access", f.violence_perpetrator_has_access);
    b("procedure.transfer_to_family", f.procedure_transfer_to_family);
    e("child.separation", f.separation, {"unaccompanied", "separated", "accompanied"});
    e("placement.type", f.placement_type, {"family", "kinship", "foster", "small_group_home", "child_reception",
                                           "adult_reception", "independent_living", "no_accommodation"});
    e("family.tracing_status", f.tracing_status, {"not_needed", "not_started", "consent_pending", "in_progress",
                                                  "located", "not_found", "suspended_risk"});
    e("escort.relation", f.escort_relation, {"parent", "relative", "legal_guardian", "unrelated", "none"});
    e("bid.status", f.bid_status, {"not_needed", "not_started", "in_progress", "done"});
    e("age.assessment_status", f.age_assessment_status, {"none", "pending", "done", "appeal"});
    e("child.birth_date_source", f.birth_date_source, {"document", "statement", "age_assessment", "registry_default"});
    e("detention.status", f.detention_status, {"none", "immigration", "criminal", "restricted"});
    e("procedure.asylum_status", f.asylum_status, {"not_applied", "pending", "granted", "refused", "appeal"});
    s("procedure.pending_decisions", f.pending, f.pending_known,
      {"asylum", "transfer", "return", "family_reunification", "durable_solution", "care_change",
       "separation_from_parent", "resettlement"});
    s("exploitation.indicators", f.indicators, f.indicators_known,
      {"documents_held_by_other", "debt_bondage", "controlled_by_adult", "sexual_exploitation_signs", "scripted_story",
       "work_or_lives_at_workplace", "kept_from_school", "unrelated_escort", "found_alone", "unexplained_money",
       "fear_of_authorities"});
    s("age.methods", f.age_methods, f.age_methods_known,
      {"interview", "psychosocial", "documentary", "xray", "dental", "sexual_maturity"});
    s("bid.professions", f.bid_professions, f.bid_professions_known,
      {"social_work", "psychology", "law", "health", "education", "guardian", "cultural_mediation"});
    s("violence.corporal_punishment_in", f.punishment, f.punishment_known,
      {"family", "alternative_care", "reception", "school", "detention"});
    s("violence.where", f.where, f.where_known, {"in_this_country", "journey", "country_of_origin"});
    f.bia_completed_known = at("bia.completed_on") != nullptr;
    f.birth_date_known = at("child.birth_date") != nullptr;
    if (auto* v = at("disappearance.episodes")) {
        f.episodes_known = true;
        f.episodes = v->get<double>();
    }
    return f;
}

}  // namespace handwritten
