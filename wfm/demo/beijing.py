"""The Beijing centre: the seed article's bank contact centre (北京银行电子银行部客户服务中心 serves its
customers "通过文字、语音、视频等多渠道交互方式" and is becoming the bank's centre of back-office processing,
后台业务处理), in Beijing time with China's public holidays and make-up working days.

The demo structure (`wfm.demo.organisation`) in this centre's words: its voice queues (语音) keep the 1999
call types as import codes, so the real calls reach them; text (在线文字客服), video (视频客服) and
back-office work (后台业务处理) are the article's other channels. Its week is the structure's moved one
day later (Monday to Friday, a short Saturday and a Sunday evening; Saturday and Sunday are its weekend).
Agents' names are drawn from common Chinese surnames (weighted by how common they are) and given names.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from wfm.demo.centre import Centre
from wfm.demo.talent import QUALITY_FORM

# Common surnames, most common first, with rough weights (shares of the population, per mille).
SURNAMES = [
    ("王", 72), ("李", 71), ("张", 68), ("刘", 53), ("陈", 45), ("杨", 32), ("黄", 22), ("赵", 20),
    ("吴", 20), ("周", 19), ("徐", 13), ("孙", 13), ("马", 12), ("朱", 12), ("胡", 11), ("郭", 11),
    ("何", 9), ("林", 9), ("高", 9), ("罗", 9), ("郑", 8), ("梁", 8), ("谢", 6), ("宋", 6), ("唐", 6),
    ("许", 5), ("韩", 5), ("冯", 5), ("邓", 5), ("曹", 5), ("彭", 5), ("曾", 5), ("肖", 4), ("田", 4),
    ("董", 4), ("潘", 4), ("袁", 4), ("蔡", 4), ("蒋", 4), ("余", 4), ("于", 4), ("杜", 4), ("叶", 4),
    ("程", 3), ("魏", 3), ("苏", 3), ("吕", 3), ("丁", 3), ("任", 3), ("卢", 3), ("姚", 3), ("沈", 3),
    ("钟", 3), ("姜", 3), ("崔", 3), ("谭", 3), ("陆", 3), ("范", 3), ("汪", 3), ("廖", 3), ("石", 3),
    ("金", 3), ("韦", 3), ("贾", 3), ("夏", 2), ("付", 2), ("方", 2), ("邹", 2), ("熊", 2), ("白", 2),
    ("孟", 2), ("秦", 2), ("邱", 2), ("侯", 2), ("江", 2), ("尹", 2), ("薛", 2), ("闫", 2), ("段", 2),
    ("雷", 2), ("龙", 2), ("黎", 2), ("史", 2), ("陶", 2), ("贺", 2), ("毛", 2), ("郝", 2), ("顾", 2),
]  # fmt: skip
# Given names of one or two characters, common for people born between the 1970s and the 2000s.
GIVEN_NAMES = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "霞", "平", "刚", "鹏", "斌", "莉", "辉", "颖", "琳", "鑫", "宁", "帆", "倩", "瑶", "博", "悦", "昊",
    "然", "桂英", "秀英", "建华", "志强", "晓明", "海燕", "丽娟", "文博", "子涵", "欣怡", "浩然", "雨轩",
    "佳怡", "梓萱", "思远", "宇航", "俊杰", "婷婷", "晨曦", "嘉怡", "一鸣", "晓燕", "雪梅", "建国", "春梅",
    "志刚", "丹丹", "亚楠", "宏伟", "金凤", "永红", "晓东", "海涛", "丽华", "建军", "红梅", "晓峰", "玉兰",
    "文静", "佳琪", "雅婷", "欣然", "梦瑶", "子轩", "浩宇", "嘉豪", "思琪", "晓丽", "春燕", "国强", "振华",
    "立新", "秀兰", "淑珍", "凤英", "志明", "晓红", "海波", "天宇", "明轩",
]  # fmt: skip

# The demo users who are not agents; the agents among them are shown under their agent's name.
DISPLAY_NAMES = {"admin": "赵立新", "scheduler": "孙晓梅", "hr": "钱丽华"}


def names(rng: random.Random) -> Iterator[str]:
    """Agents' names: a weighted surname and a given name, each name once, none a demo user's name."""
    taken = set(DISPLAY_NAMES.values())
    surnames = [s for s, _ in SURNAMES]
    weights = [w for _, w in SURNAMES]
    while len(taken) < len(SURNAMES) * len(GIVEN_NAMES):
        name = rng.choices(surnames, weights)[0] + rng.choice(GIVEN_NAMES)
        if name not in taken:
            taken.add(name)
            yield name


WORDS = {
    "queue": {
        "Retail voice": "个人业务语音",
        "Priority clients": "贵宾客户语音",
        "Stock-exchange desk": "证券业务语音",
        "Internet support": "电子银行语音",
        "English line": "英语服务热线",
        "Prospective customers": "新客户咨询",
        "Callbacks": "留言回电",
        "Web chat": "在线文字客服",
        "Video advice": "视频客服",
        "Back office": "后台业务处理",
    },
    "skill": {
        "Retail service": "个人业务",
        "Priority service": "贵宾服务",
        "Stock exchange": "证券业务",
        "Internet support": "电子银行",
        "English": "英语服务",
        "Sales": "营销",
        "Chat": "文字服务",
        "Video advisory": "视频服务",
        "Back-office processing": "后台业务处理",
        # descriptions
        "Everyday banking questions (call type PS)": "日常银行业务咨询（呼叫类型 PS）",
        "High-value clients: financial adviser and secretary service": "高端客户：金融顾问与金融秘书服务",
        "Trading and stock-exchange activity (call type NE)": "证券交易业务（呼叫类型 NE）",
        "Online banking support (call type IN)": "网上银行与手机银行支持（呼叫类型 IN）",
        "Service in English (call type PE)": "英语服务（呼叫类型 PE）",
        "Prospective customers (call type NW)": "潜在客户咨询（呼叫类型 NW）",
        "Written service on the web and app chat": "网页与手机银行的在线文字服务",
        "Video meetings with wealth clients": "与财富客户的视频会面",
        "Entry, review, checking and risk-control work items": "录入、审核、检查与风控工作项",
    },
    "team": {
        "Retail A": "零售客服一组",
        "Retail B": "零售客服二组",
        "Priority & wealth": "贵宾理财组",
        "Markets desk": "证券业务组",
        "Digital": "数字渠道组",
        "Back office": "后台处理组",
        "Floor support": "综合支援组",
    },
    "template": {
        "Day": "白班",
        "Evening": "晚班",
        "Part-time": "兼职班",
        "Friday": "周六短班",
        "Back-office day": "后台白班",
        "Saturday evening": "周日晚班",
    },
    "break": {"break": "小休", "lunch": "午餐", "afternoon break": "下午小休", "dinner": "晚餐"},
    "text": {
        # leaving reasons
        "Resigned: better-paid job elsewhere": "辞职：另有薪酬更高的工作",
        "Resigned: no prospect of promotion": "辞职：晋升无望",
        "Moved to the branch network": "调往支行网点",
        "Studies": "继续深造",
        "Relocation": "迁居外地",
        "End of fixed-term contract": "固定期限合同到期",
        "Resigned: shift pattern did not suit family": "辞职：班次安排不便照顾家庭",
        # moves within the bank and vacancies
        "Customer adviser": "客户经理",
        "Wealth management assistant": "财富管理助理",
        "Transaction monitoring analyst": "交易监测分析员",
        "Payments processing officer": "支付结算专员",
        "Senior processing officer": "高级业务处理专员",
        "Customer service team lead": "客服组长",
        "Junior data analyst": "初级数据分析员",
        # training sessions
        "Dana Levi": "林晓燕",
        "Yael Cohen": "王静",
        "Oren Katz": "陈志刚",
        "Compliance team": "合规部",
        "Training room 1": "一号培训室",
        "Training room 2": "二号培训室",
        "online": "线上",
        # evidence, promotions and plans
        "course result": "课程成绩",
        "manager's assessment from call reviews": "主管根据通话复核所作的评估",
        "IELTS 7.0 (certificate uploaded to HR)": "雅思 7.0（证书已交人力资源部）",
        "Closed 14 card upgrades in October, see CRM report": "十月完成 14 笔信用卡升级，见 CRM 报表",
        "Please attach the CRM report; the figure alone is not evidence": (
            "请附上 CRM 报表；只有数字不能作为依据"
        ),
        "Four-eyes checks without error for three months (team lead)": "连续三个月双人复核零差错（组长）",
        "meets every requirement": "满足全部要求",
        # talent pool and quality
        "Not given": "未说明",
        "An internal move for someone from the centre: {title}.": "面向中心员工的内部岗位：{title}。",
        "Applied through HR at the careers fair.": "在职业发展交流会上经人力资源部申请。",
        "Working toward {field}.": "按发展计划，正在为下一个职业目标做准备。",
        "For my development plan.": "为了我的个人发展计划。",
        "Inbound calls": "呼入电话",
        "The customer's request was solved in the follow-up call I booked.": (
            "客户的问题已在我预约的回访电话中解决。"
        ),
        "December calibration": "十二月校准",
        "call {number}": "来电 {number}",
        QUALITY_FORM: (
            "开场 | 问候客户并报出自己的工号姓名 | 1\n"
            "开场 | 在提及任何账户信息前核实客户身份 | 0 | fatal\n"
            "理解需求 | 用开放式提问找到客户的真实需求 | 2\n"
            "解决问题 | 解决客户的诉求，或约定清楚的下一步 | 3\n"
            "解决问题 | 提供准确的产品与收费信息 | 2 | fatal\n"
            "结束 | 总结并确认客户没有其他需要 | 1\n"
        ),
        "{team} weekly": "{team}周例会",
        "Demo plan from {start}": "演示排班计划（{start}起）",
        "Roster from {start}": "排班表（{start}起）",
        "{day:%d %b}": "{month}月{day_of_month}日",
    },
}

CENTRE = Centre(
    key="beijing",
    site={"name": "北京客户服务中心", "time_zone": "Asia/Shanghai", "country": "CN"},
    names=names,
    display_names=DISPLAY_NAMES,
    days_later=1,
    words=WORDS,
    history_source=(
        "演示：Anonymous Bank 1999 年来电数据（以色列，Technion SEE Center），平移至最近几周并推后一天"
    ),
)
