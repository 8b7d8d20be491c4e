"""The roles the system ships with. Roles are data (the `Role` table); this module is the
source the migrations and `ocop load-roles` read. Names are English msgids, translated in the UI.

Permissions are `<app>.<action>_<model>`, `<app>.*` or `*`. Later apps add their permissions
to the roles here; running `ocop load-roles` (part of `make run`) brings the table up to date.
"""

from django.utils.translation import gettext_noop as _

# Granted to every signed-in user whatever their roles: reference data.
ALWAYS_GRANTED = frozenset({"geo.view_adminunit", "evaluation.view_scoresheet"})

# Evaluation: councils, sessions and results (scoring itself follows council membership, not roles).
EVALUATION_VIEW = [
    "evaluation.view_council",
    "evaluation.view_evaluationsession",
    "evaluation.view_sessionproduct",
    "evaluation.view_evaluationresult",
]
# Preparing evaluations (the coordination office): councils, members, sessions, products assigned.
EVALUATION_MANAGE = [
    *EVALUATION_VIEW,
    "evaluation.add_council",
    "evaluation.change_council",
    "evaluation.add_evaluationsession",
    "evaluation.change_evaluationsession",
]
# Recognition decisions and certificates: drafting and recording decisions, revoking, extending.
CERTIFICATION_MANAGE = [
    "certification.view_certificate",
    "certification.view_recognitiondecision",
    "certification.add_recognitiondecision",
    "certification.change_recognitiondecision",
    "certification.change_certificate",
    "certification.revoke_certificate",
]
# The annual OCOP cycle and the dossier's path (programme): ideas, business plans, dossiers.
# Producers act on their own records through Producer.accounts, whatever their roles.
PROGRAMME_VIEW = [
    "programme.view_programmecycle",
    "programme.view_productidea",
    "programme.view_businessplan",
    "programme.view_dossier",
]
# The commune's work: enter and review ideas and plans, enter dossiers, the commune step (Điều 7.2).
PROGRAMME_EDIT = [
    *PROGRAMME_VIEW,
    "programme.add_productidea",
    "programme.change_productidea",
    "programme.review_productidea",
    "programme.change_businessplan",
    "programme.review_businessplan",
    "programme.add_dossier",
    "programme.change_dossier",
    "programme.commune_dossier",
]
# The province's work: the cycle, its steps and rounds, the province step (Điều 7.3).
PROGRAMME_MANAGE = [
    *PROGRAMME_VIEW,
    "programme.add_programmecycle",
    "programme.change_programmecycle",
    "programme.province_dossier",
]
# Plans, targets and indicators (planning): reading plans and progress, entering figures by hand.
PLANNING_VIEW = ["planning.view_plan", "planning.view_enteredvalue"]
# The province's office: plans, their targets and tasks, their state; reporting on tasks.
PLANNING_MANAGE = [
    *PLANNING_VIEW,
    "planning.add_plan",
    "planning.change_plan",
    "planning.report_plantask",
    "planning.add_enteredvalue",
]
# Programme activities (activities): promotion events, sales points, training, outreach.
ACTIVITIES_VIEW = [
    "activities.view_promotionevent",
    "activities.view_salespoint",
    "activities.view_trainingcourse",
    "activities.view_outreacharticle",
]
ACTIVITIES_EDIT = [
    *ACTIVITIES_VIEW,
    "activities.add_promotionevent",
    "activities.change_promotionevent",
    "activities.add_salespoint",
    "activities.change_salespoint",
    "activities.add_trainingcourse",
    "activities.change_trainingcourse",
    "activities.add_outreacharticle",
    "activities.change_outreacharticle",
]
# Quality (quality): inspections, their samples, follow-ups and the cases they open.
QUALITY_VIEW = ["quality.view_inspection"]
QUALITY_MANAGE = [*QUALITY_VIEW, "quality.add_inspection", "quality.change_inspection"]
# Funding and support (funding): sources, grants and disbursements, state-funded assets.
FUNDING_VIEW = ["funding.view_fundingsource", "funding.view_supportgrant", "funding.view_stateasset"]
FUNDING_MANAGE = [
    *FUNDING_VIEW,
    "funding.add_fundingsource",
    "funding.change_fundingsource",
    "funding.add_supportgrant",
    "funding.change_supportgrant",
    "funding.add_stateasset",
    "funding.change_stateasset",
]
# Dashboards, maps and periodic reports (reporting) over the role's area.
REPORTING_VIEW = ["reporting.view_summary", "reporting.view_report", "reporting.add_report"]
VIEW_ALL = [
    "accounts.view_user",
    "accounts.view_roleassignment",
    "audit.view_auditevent",
    "registry.view_producer",
    "registry.view_product",
    "registry.view_changerequest",
    "certification.view_certificate",
    "certification.view_recognitiondecision",
    *EVALUATION_VIEW,
    *PROGRAMME_VIEW,
    *PLANNING_VIEW,
    *ACTIVITIES_VIEW,
    *QUALITY_VIEW,
    *FUNDING_VIEW,
    *REPORTING_VIEW,
]
# Keeping the registries: create and edit producers and products, import lists.
REGISTRY_EDIT = [
    "registry.view_producer",
    "registry.add_producer",
    "registry.change_producer",
    "registry.view_product",
    "registry.add_product",
    "registry.change_product",
    "registry.import_producer",
    "registry.view_changerequest",
    "registry.change_changerequest",
    "certification.view_certificate",
]

ROLES = [
    {
        "code": "system_admin",
        "name": _("System administrator"),
        "description": _("Runs the system: everything, everywhere."),
        "permissions": ["*"],
        "global_only": True,
        "sort_order": 10,
    },
    {
        "code": "province_admin",
        "name": _("Province programme administrator"),
        "description": _(
            "The OCOP coordination office (Văn phòng Điều phối nông thôn mới): runs the programme "
            "in its area, manages accounts and roles there."
        ),
        "permissions": [
            *VIEW_ALL,
            "accounts.add_user",
            "accounts.change_user",
            "accounts.add_roleassignment",
            "accounts.delete_roleassignment",
            "geo.manage_adminunit",
            *REGISTRY_EDIT,
            *EVALUATION_MANAGE,
            "evaluation.approve_evaluationresult",
            "evaluation.publish_scoresheet",
            *CERTIFICATION_MANAGE,
            *PROGRAMME_MANAGE,
            *PROGRAMME_EDIT,  # holds the commune officers' rights, so it may grant their role
            *ACTIVITIES_EDIT,
            *PLANNING_MANAGE,
            *QUALITY_MANAGE,
            *FUNDING_MANAGE,
        ],
        "sort_order": 20,
    },
    {
        "code": "province_officer",
        "name": _("Province officer"),
        "description": _("An officer of the coordination office or a province body working on OCOP."),
        "permissions": [
            *VIEW_ALL,
            *REGISTRY_EDIT,
            *EVALUATION_MANAGE,
            "certification.view_recognitiondecision",
            "certification.add_recognitiondecision",
            "certification.change_recognitiondecision",
            *PROGRAMME_MANAGE,
            *PLANNING_MANAGE,
            *ACTIVITIES_EDIT,
            *QUALITY_MANAGE,
            *FUNDING_MANAGE,
        ],
        "sort_order": 30,
    },
    {
        "code": "department_officer",
        "name": _("Department officer"),
        "description": _(
            "An officer of a department (Industry and Trade, Agriculture and Environment, Science and "
            "Technology, Health, Culture, Sports and Tourism) with tasks in the programme."
        ),
        "permissions": [
            "accounts.view_user",
            "audit.view_auditevent",
            "registry.view_producer",
            "registry.view_product",
            "certification.view_certificate",
            *EVALUATION_VIEW,
            *PROGRAMME_VIEW,
            *PLANNING_VIEW,
            "planning.report_plantask",  # the tasks assigned to the department
            *ACTIVITIES_EDIT,  # Industry and Trade: promotion and sales points; Culture: outreach
            *QUALITY_MANAGE,  # Health, Agriculture, Industry and Trade inspect quality and food safety
            *FUNDING_MANAGE,  # Industry and Trade: industrial promotion (khuyến công)
            *REPORTING_VIEW,
        ],
        "sort_order": 40,
    },
    {
        "code": "commune_officer",
        "name": _("Commune officer"),
        "description": _("The commune's OCOP officer: producers, ideas and dossiers of the commune."),
        "permissions": [
            "accounts.view_user",
            "audit.view_auditevent",
            *REGISTRY_EDIT,
            # The evaluations and results of the commune's own products.
            "evaluation.view_sessionproduct",
            "evaluation.view_evaluationresult",
            *PROGRAMME_EDIT,
            *PLANNING_VIEW,
            "planning.add_enteredvalue",
            *ACTIVITIES_EDIT,
            *QUALITY_VIEW,  # the inspections of the commune's producers
            *FUNDING_VIEW,  # the support its producers received
            *REPORTING_VIEW,
        ],
        "sort_order": 50,
    },
    {
        "code": "council_member",
        "name": _("Council member"),
        "description": _("A member of an evaluation council: scores the dossiers assigned to them."),
        "permissions": [],
        "sort_order": 60,
    },
    {
        "code": "producer",
        "name": _("Producer"),
        "description": _("An OCOP producer (enterprise, cooperative, cooperative group, household)."),
        # Its own records only (through Producer.accounts), whatever its area.
        "permissions": ["registry.selfservice"],
        "sort_order": 70,
    },
    {
        "code": "supervisor",
        "name": _("Supervisor (read-only)"),
        "description": _("A supervising body (party committee, inspectorate): reads everything in its area."),
        "permissions": [*VIEW_ALL],
        "sort_order": 80,
    },
]
