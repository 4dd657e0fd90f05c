"""The seeded catalogue of a bank's contact centre: nine fields in three tracks, with editable ladders.

The fields follow the seed article (service: basic service, high-end client service, wealth manager,
customer-relationship expert; operations: back-office processing, the classic centre roles; analytics:
data analyst, model builder, systems developer). Requirements are what a bank would plausibly ask: tenure
and quality scores rise up each ladder, advice to clients needs a valid investment-adviser licence, and
every client-facing level needs a current anti-money-laundering certificate. `default_catalogue()` returns
fresh objects each call, so callers may store and edit them freely.
"""

from __future__ import annotations

from training.catalogue import (
    Catalogue,
    Certification,
    Competency,
    Course,
    Field,
    Ladder,
    Level,
    Track,
    catalogue_from,
)

COMPETENCIES = [
    ("customer_communication", "Customer communication", "Listening, explaining, tone on voice and chat"),
    ("product_knowledge", "Retail banking products", "Accounts, cards, loans, savings, fees"),
    ("complaint_resolution", "Complaint resolution", "De-escalation, root cause, redress within policy"),
    ("compliance_aml", "Compliance and anti-money-laundering", "Know-your-customer, suspicious activity"),
    ("english", "English", "Service in English"),
    ("sales", "Needs-based selling", "Finding and meeting client needs, suitability"),
    ("written_service", "Written service", "Chat and e-mail service"),
    ("digital_banking", "Online and mobile banking", "Supporting the bank's web and app channels"),
    ("securities_trading", "Securities and stock exchange", "Orders, markets, trading rules"),
    ("investment_advice", "Investment advice", "Advising clients on investments, suitability"),
    ("financial_planning", "Wealth and financial planning", "Goals, portfolios, pensions, tax"),
    ("video_consultation", "Video consultation", "Advising clients in video meetings"),
    ("relationship_management", "Client relationship management", "Keeping and growing valuable clients"),
    ("process_improvement", "Service process improvement", "Mapping client journeys, fixing pain points"),
    ("back_office_processing", "Back-office processing", "Entry, review, checking and processing of work items"),
    ("risk_control", "Operational risk control", "Four-eyes checks, fraud and error detection"),
    ("quality_assurance", "Quality evaluation", "Call and case evaluation, calibration, feedback"),
    ("coaching_training", "Coaching and training", "Designing and delivering training, coaching"),
    ("workforce_planning", "Workforce planning", "Forecasting, scheduling, real-time management"),
    ("team_leadership", "Team leadership", "Leading a team, performance conversations"),
    ("data_analysis", "Data analysis", "SQL, statistics, answering business questions with data"),
    ("data_visualisation", "Reporting and BI", "Dashboards and reports"),
    ("machine_learning", "Machine learning and AI", "Building and validating predictive and language models"),
    ("software_development", "Software development", "Building and maintaining the centre's systems"),
]

CERTIFICATIONS = [
    ("AML", "Anti-money-laundering certificate", 12, "Compliance department"),
    ("INV-ADV", "Investment adviser licence", 24, "Securities regulator"),
    ("PORTFOLIO", "Portfolio manager licence", 36, "Securities regulator"),
    ("DATA-PROT", "Data protection and privacy", 24, "Compliance department"),
    ("CX-PRO", "Customer experience professional", 36, "Customer experience association"),
    ("TRAINER", "Certified trainer", 36, "Training academy"),
    ("SEC-CODE", "Secure coding", 24, "Information security"),
]

# code, name, hours, raises, pass score, validity months, prerequisites, awards
COURSES = [
    ("INDUCT", "Induction: products and systems", 40, {"product_knowledge": 2, "customer_communication": 2,
                                                       "digital_banking": 1}, 70, None, (), None),
    ("AML-101", "Anti-money-laundering and compliance", 8, {"compliance_aml": 2}, 80, 12, (), "AML"),
    ("PRIV-101", "Data protection and privacy", 4, {}, 80, None, (), "DATA-PROT"),
    ("COMM-201", "Advanced customer communication", 16, {"customer_communication": 3, "complaint_resolution": 2},
     70, None, ("INDUCT",), None),
    ("PROD-201", "Retail products in depth", 24, {"product_knowledge": 3}, 70, None, ("INDUCT",), None),
    ("PROD-301", "Credit, mortgages and savings advice", 24, {"product_knowledge": 4}, 75, None, ("PROD-201",), None),
    ("COMPL-301", "Complaint handling and de-escalation", 12, {"complaint_resolution": 3, "customer_communication": 4},
     75, None, ("COMM-201",), None),
    ("CHAT-101", "Written service for chat and e-mail", 8, {"written_service": 2}, 70, None, (), None),
    ("CHAT-201", "Concurrent chat handling", 8, {"written_service": 3}, 70, None, ("CHAT-101",), None),
    ("DIGI-101", "Online and mobile banking support", 8, {"digital_banking": 2}, 70, None, (), None),
    ("DIGI-201", "Digital troubleshooting", 12, {"digital_banking": 3}, 70, None, ("DIGI-101",), None),
    ("ENG-201", "English for banking service", 40, {"english": 3}, 70, None, (), None),
    ("ENG-301", "Advanced English for advisers", 40, {"english": 4}, 75, None, ("ENG-201",), None),
    ("SALES-101", "Needs-based selling", 12, {"sales": 2}, 70, None, (), None),
    ("SALES-201", "Advisory sales and suitability", 16, {"sales": 3, "compliance_aml": 3}, 75, None,
     ("SALES-101",), None),
    ("SEC-201", "Securities and stock-exchange trading", 24, {"securities_trading": 3}, 75, None, (), None),
    ("INV-301", "Investment adviser licence preparation", 60, {"investment_advice": 3, "financial_planning": 2},
     75, None, ("PROD-201",), "INV-ADV"),
    ("VIDEO-201", "Advising clients on video", 6, {"video_consultation": 3}, 70, None, (), None),
    ("WEALTH-401", "Wealth planning and portfolio construction", 40, {"financial_planning": 4,
                                                                      "investment_advice": 4},
     80, None, ("INV-301",), "PORTFOLIO"),
    ("RM-301", "Client relationship management", 20, {"relationship_management": 3, "sales": 3}, 75, None,
     ("SALES-101",), None),
    ("RM-401", "Key accounts and client-journey design", 24, {"relationship_management": 4,
                                                             "process_improvement": 3},
     75, None, ("RM-301",), None),
    ("CX-401", "Customer experience professional", 30, {"process_improvement": 4}, 75, None, ("RM-401",), "CX-PRO"),
    ("BO-101", "Back-office processing", 16, {"back_office_processing": 2, "risk_control": 1}, 75, None, (), None),
    ("BO-201", "Checking and four-eyes review", 16, {"back_office_processing": 3, "risk_control": 2}, 75, None,
     ("BO-101",), None),
    ("RISK-301", "Operational risk control", 20, {"risk_control": 3, "compliance_aml": 3}, 80, None,
     ("BO-201",), None),
    ("QA-201", "Quality evaluation and calibration", 12, {"quality_assurance": 3}, 75, 24, (), None),
    ("TRAIN-301", "Train the trainer", 24, {"coaching_training": 3}, 75, None, (), "TRAINER"),
    ("WFM-201", "Workforce planning and real-time management", 20, {"workforce_planning": 3}, 70, None, (), None),
    ("LEAD-301", "Team leadership", 24, {"team_leadership": 3, "coaching_training": 2}, 70, None, (), None),
    ("LEAD-401", "Managing a contact centre", 32, {"team_leadership": 4, "workforce_planning": 4}, 75, None,
     ("LEAD-301", "WFM-201"), None),
    ("DATA-101", "SQL and data foundations", 24, {"data_analysis": 2}, 70, None, (), None),
    ("DATA-201", "Statistics for service analytics", 32, {"data_analysis": 3, "data_visualisation": 2}, 70, None,
     ("DATA-101",), None),
    ("DATA-301", "Experiments and causal analysis", 32, {"data_analysis": 4}, 75, None, ("DATA-201",), None),
    ("BI-201", "Reporting and BI dashboards", 24, {"data_visualisation": 3}, 70, None, ("DATA-101",), None),
    ("ML-301", "Machine learning for the contact centre", 40, {"machine_learning": 3}, 70, None,
     ("DATA-201",), None),
    ("ML-401", "Speech and text AI models", 40, {"machine_learning": 4}, 75, None, ("ML-301",), None),
    ("DEV-201", "Python and web development", 40, {"software_development": 3}, 70, None, (), None),
    ("DEV-301", "Secure software engineering", 24, {"software_development": 4}, 75, None, ("DEV-201",), "SEC-CODE"),
]

# field code, name, track, description, levels:
#   (title, competencies, courses, certifications, tenure months, min quality, levels in other fields)
FIELDS = [
    ("basic_service", "Basic customer service", Track.SERVICE, "Everyday banking service on voice and chat", [
        ("Associate", {"customer_communication": 2, "product_knowledge": 2, "compliance_aml": 2},
         ("INDUCT",), ("AML",), 0, None, {}),
        ("Senior associate", {"customer_communication": 3, "product_knowledge": 3, "complaint_resolution": 2},
         (), ("AML",), 12, 80, {}),
        ("Specialist", {"customer_communication": 4, "product_knowledge": 4, "complaint_resolution": 3},
         (), ("AML",), 24, 85, {}),
        ("Expert and mentor", {"customer_communication": 4, "product_knowledge": 4, "coaching_training": 3},
         (), ("AML",), 48, 90, {}),
    ]),
    ("high_end_service", "High-end client service (financial adviser / secretary)", Track.SERVICE,
     "Priority clients: a financial adviser and secretary rather than an answering agent", [
         ("Client adviser", {"customer_communication": 3, "product_knowledge": 3, "investment_advice": 2},
          (), ("AML",), 12, 85, {"basic_service": 2}),
         ("Senior client adviser", {"customer_communication": 4, "investment_advice": 3, "english": 3},
          ("INV-301",), ("AML", "INV-ADV"), 24, 88, {}),
         ("Principal client adviser", {"investment_advice": 4, "relationship_management": 3},
          (), ("AML", "INV-ADV"), 48, 90, {}),
     ]),
    ("wealth_manager", "Wealth manager", Track.SERVICE,
     "Wealth management for clients found through full-journey data and client profiles", [
         ("Associate wealth manager", {"investment_advice": 3, "financial_planning": 2, "sales": 2},
          ("INV-301",), ("AML", "INV-ADV"), 12, 85, {"basic_service": 2}),
         ("Wealth manager", {"investment_advice": 3, "financial_planning": 3, "video_consultation": 2},
          (), ("AML", "INV-ADV"), 24, 85, {}),
         ("Senior wealth manager", {"investment_advice": 4, "financial_planning": 4, "relationship_management": 3},
          ("WEALTH-401",), ("AML", "INV-ADV", "PORTFOLIO"), 48, 90, {}),
     ]),
    ("crm_expert", "Customer-relationship management expert", Track.SERVICE,
     "Finds pain points in the service, improves the whole journey, keeps valuable clients", [
         ("Relationship specialist", {"relationship_management": 3, "complaint_resolution": 3},
          (), ("AML",), 24, 85, {"basic_service": 2}),
         ("Relationship expert", {"relationship_management": 4, "process_improvement": 3, "data_analysis": 2},
          ("RM-401",), ("AML",), 36, 88, {}),
         ("Principal relationship expert", {"relationship_management": 4, "process_improvement": 4},
          (), ("AML", "CX-PRO"), 60, 90, {}),
     ]),
    ("back_office", "Back-office business processing", Track.OPERATIONS,
     "Entry, review, checking, processing and risk control of the bank's centralised work", [
         ("Processor", {"back_office_processing": 2, "compliance_aml": 2}, ("BO-101",), ("AML",), 0, None, {}),
         ("Senior processor", {"back_office_processing": 3, "risk_control": 2}, (), ("AML",), 12, 85, {}),
         ("Checker and risk controller", {"back_office_processing": 4, "risk_control": 3},
          ("RISK-301",), ("AML",), 36, 90, {}),
     ]),
    ("centre_roles", "Classic centre roles", Track.OPERATIONS,
     "Operations management, quality inspection, training, complaint handling, information coordination, "
     "administration", [
         ("Coordinator", {"customer_communication": 3, "workforce_planning": 2}, (), (), 12, 80,
          {"basic_service": 2}),
         ("Specialist (quality, training, complaints, planning)", {"quality_assurance": 3, "coaching_training": 2,
                                                                   "complaint_resolution": 3},
          ("QA-201",), (), 24, 85, {}),
         ("Team leader", {"team_leadership": 3, "coaching_training": 3, "workforce_planning": 3},
          ("LEAD-301",), ("DATA-PROT",), 36, 85, {}),
         ("Operations manager", {"team_leadership": 4, "workforce_planning": 4, "data_analysis": 2},
          ("LEAD-401",), ("DATA-PROT",), 60, 88, {}),
     ]),
    ("data_analyst", "Data analyst", Track.ANALYTICS,
     "Turns the centre's data into evidence for the business", [
         ("Junior data analyst", {"data_analysis": 2, "data_visualisation": 2}, ("PRIV-101",), ("DATA-PROT",),
          12, None, {}),
         ("Data analyst", {"data_analysis": 3, "data_visualisation": 3}, (), ("DATA-PROT",), 24, None, {}),
         ("Senior data analyst", {"data_analysis": 4, "data_visualisation": 3, "process_improvement": 2},
          (), ("DATA-PROT",), 48, None, {}),
     ]),
    ("model_builder", "Model builder (AI and BI)", Track.ANALYTICS,
     "Business and management models with artificial intelligence and business intelligence", [
         ("BI developer", {"data_analysis": 3, "data_visualisation": 3}, (), ("DATA-PROT",), 24, None,
          {"data_analyst": 1}),
         ("Model builder", {"data_analysis": 3, "machine_learning": 3}, ("ML-301",), ("DATA-PROT",), 36, None, {}),
         ("Lead model builder", {"data_analysis": 4, "machine_learning": 4}, ("ML-401",), ("DATA-PROT",), 60, None,
          {}),
     ]),
    ("systems_developer", "Systems developer", Track.ANALYTICS,
     "Keeps improving the centre's service systems and tools", [
         ("Junior developer", {"software_development": 2}, (), ("DATA-PROT",), 12, None, {}),
         ("Developer", {"software_development": 3, "data_analysis": 2}, (), ("DATA-PROT",), 24, None, {}),
         ("Senior developer", {"software_development": 4}, ("DEV-301",), ("DATA-PROT", "SEC-CODE"), 48, None, {}),
     ]),
]


def default_catalogue() -> Catalogue:
    """A fresh, validated copy of the seeded catalogue."""
    competencies = [Competency(code, name, desc) for code, name, desc in COMPETENCIES]
    certifications = [Certification(code, name, months, issuer) for code, name, months, issuer in CERTIFICATIONS]
    courses = [
        Course(code, name, float(hours), dict(raises), float(pass_score), validity, tuple(pre), awards)
        for code, name, hours, raises, pass_score, validity, pre, awards in COURSES
    ]
    fields = []
    for code, name, track, description, levels in FIELDS:
        ladder = Ladder(tuple(
            Level(code, number, title, dict(comps), tuple(courses_), tuple(certs), tenure,
                  None if quality is None else float(quality), dict(others))
            for number, (title, comps, courses_, certs, tenure, quality, others) in enumerate(levels, start=1)
        ))
        fields.append(Field(code, name, track, ladder, description))
    return catalogue_from(fields, competencies, courses, certifications)
