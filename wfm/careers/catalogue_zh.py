"""The seeded career catalogue (`training.defaults`) in Chinese, keyed by the same codes.

The fields' names are the seed article's own (北京银行客服中心: 服务领域、操作领域、分析领域三个方向), their
descriptions follow its sentences, and the other terms follow the shared glossary, so that pages, PDFs and the
article say the same thing. `wfm.careers.store.seed_catalogue` stores these beside the English; from then on
HR edits both. A code missing here is simply shown in English.
"""

from __future__ import annotations

# track code -> Chinese (tracks are fixed, not stored rows: shown through the translations)
TRACKS = {"service": "服务领域", "operations": "操作领域", "analytics": "分析领域"}

# field code -> (name, description)
FIELDS: dict[str, tuple[str, str]] = {
    "basic_service": ("服务基础客户", "通过语音、文字等渠道为大众客户办理日常银行业务"),
    "high_end_service": (
        "服务高端客户（金融顾问、金融秘书）",
        "服务高端客户：不仅是传统意义上的咨询解答座席，而是定位于金融顾问、金融秘书的角色",
    ),
    "wealth_manager": ("理财经理", "广泛灵活应用客户全链路大数据，通过精准的客户画像开展客户财富管理工作"),
    "crm_expert": (
        "客户关系管理专家",
        "聚焦客户服务过程中的痛点，推进客户服务全流程的优化，发掘和管理有价值的客户",
    ),
    "back_office": (
        "后台业务处理人员",
        "以人机结合的模式完成全行集中业务的录入、审核、检查、办理、风控等",
    ),
    "centre_roles": ("传统客服岗位", "运营管理、质量检查、业务培训、投诉处理、信息协调、行政"),
    "data_analyst": ("数据分析员", "对海量真实数据进行分析，捕捉最有价值的数据，为业务发展提供可靠依据"),
    "model_builder": (
        "模型建立专员（人工智能、商业智能）",
        "建立业务场景模型和日常管理模型，活用人工智能（AI）和商业智能（BI）两种技术",
    ),
    "systems_developer": ("系统开发专员", "不断优化客户服务系统工具，为新型客服中心工作保驾护航"),
}

# field code -> level titles from level 1 up (level descriptions are empty in English too)
LEVELS: dict[str, tuple[str, ...]] = {
    "basic_service": ("客服代表", "高级客服代表", "资深客服专员", "服务专家兼导师"),
    "high_end_service": ("客户顾问", "高级客户顾问", "首席客户顾问"),
    "wealth_manager": ("助理理财经理", "理财经理", "高级理财经理"),
    "crm_expert": ("客户关系专员", "客户关系专家", "首席客户关系专家"),
    "back_office": ("业务处理员", "高级业务处理员", "审核及风控专员"),
    "centre_roles": ("协调员", "专员（质检、培训、投诉、排班）", "班组长", "运营经理"),
    "data_analyst": ("初级数据分析员", "数据分析员", "高级数据分析员"),
    "model_builder": ("商业智能开发员", "模型建立专员", "首席模型建立专员"),
    "systems_developer": ("初级系统开发专员", "系统开发专员", "高级系统开发专员"),
}

# competency code -> (name, description)
COMPETENCIES: dict[str, tuple[str, str]] = {
    "customer_communication": ("客户沟通", "倾听、解释，语音和文字服务中的语气"),
    "product_knowledge": ("零售银行产品", "账户、银行卡、贷款、储蓄、费用"),
    "complaint_resolution": ("投诉处理", "化解矛盾、查找根因、在政策范围内补偿"),
    "compliance_aml": ("合规与反洗钱", "了解你的客户（KYC）、可疑交易"),
    "english": ("英语", "用英语服务客户"),
    "sales": ("需求导向营销", "发现并满足客户需求、适当性"),
    "written_service": ("文字服务", "在线客服和邮件服务"),
    "digital_banking": ("网上银行与手机银行", "支持银行的网站和手机应用渠道"),
    "securities_trading": ("证券交易", "委托、市场、交易规则"),
    "investment_advice": ("投资顾问", "为客户提供投资建议、适当性"),
    "financial_planning": ("财富管理与理财规划", "目标、投资组合、养老金、税务"),
    "video_consultation": ("视频咨询", "通过视频为客户提供咨询"),
    "relationship_management": ("客户关系管理", "维护并发展有价值的客户"),
    "process_improvement": ("服务流程优化", "梳理客户旅程、解决痛点"),
    "back_office_processing": ("后台业务处理", "业务的录入、审核、检查和办理"),
    "risk_control": ("操作风险控制", "双人复核、欺诈和差错识别"),
    "quality_assurance": ("质量检查", "来电和案例的质检评分、校准、反馈"),
    "coaching_training": ("辅导与培训", "设计和实施培训、辅导"),
    "workforce_planning": ("劳动力规划", "预测、排班、实时管理"),
    "team_leadership": ("团队管理", "带领团队、绩效面谈"),
    "data_analysis": ("数据分析", "SQL、统计，用数据回答业务问题"),
    "data_visualisation": ("报表与商业智能", "仪表盘和报表"),
    "machine_learning": ("机器学习与人工智能", "构建和验证预测模型与语言模型"),
    "software_development": ("软件开发", "构建和维护客服中心的系统"),
}

# certification code -> name
CERTIFICATIONS: dict[str, str] = {
    "AML": "反洗钱资格证书",
    "INV-ADV": "投资顾问执业资格",
    "PORTFOLIO": "投资组合经理资格",
    "DATA-PROT": "数据保护与隐私证书",
    "CX-PRO": "客户体验专业人士证书",
    "TRAINER": "认证培训师",
    "SEC-CODE": "安全编码证书",
}

# course code -> name
COURSES: dict[str, str] = {
    "INDUCT": "入职培训：产品与系统",
    "AML-101": "反洗钱与合规",
    "PRIV-101": "数据保护与隐私",
    "COMM-201": "高级客户沟通",
    "PROD-201": "零售产品精讲",
    "PROD-301": "信贷、按揭与储蓄咨询",
    "COMPL-301": "投诉处理与矛盾化解",
    "CHAT-101": "在线客服与邮件的文字服务",
    "CHAT-201": "多会话并发处理",
    "DIGI-101": "网上银行与手机银行支持",
    "DIGI-201": "数字渠道故障排查",
    "ENG-201": "银行服务英语",
    "ENG-301": "理财顾问高级英语",
    "SALES-101": "需求导向营销",
    "SALES-201": "顾问式销售与适当性",
    "SEC-201": "证券与证券交易所交易",
    "INV-301": "投资顾问资格备考",
    "VIDEO-201": "视频客户咨询",
    "WEALTH-401": "财富规划与投资组合构建",
    "RM-301": "客户关系管理",
    "RM-401": "重点客户与客户旅程设计",
    "CX-401": "客户体验专业人士",
    "BO-101": "后台业务处理",
    "BO-201": "检查与双人复核",
    "RISK-301": "操作风险控制",
    "QA-201": "质检评分与校准",
    "TRAIN-301": "培训师培训",
    "WFM-201": "劳动力规划与实时管理",
    "LEAD-301": "团队管理",
    "LEAD-401": "客服中心管理",
    "DATA-101": "SQL与数据基础",
    "DATA-201": "服务分析中的统计学",
    "DATA-301": "实验与因果分析",
    "BI-201": "报表与商业智能仪表盘",
    "ML-301": "客服中心的机器学习",
    "ML-401": "语音与文本人工智能模型",
    "DEV-201": "Python与网站开发",
    "DEV-301": "安全软件工程",
}
