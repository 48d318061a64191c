"""The city and its county-level divisions (区、县(市)), GB/T 2260 codes. Reference data every service uses."""

CITY = "330100"
CITY_NAME = "杭州市"

DIVISIONS: dict[str, str] = {
    "330102": "上城区",
    "330105": "拱墅区",
    "330106": "西湖区",
    "330108": "滨江区",
    "330109": "萧山区",
    "330110": "余杭区",
    "330111": "富阳区",
    "330112": "临安区",
    "330113": "临平区",
    "330114": "钱塘区",
    "330122": "桐庐县",
    "330127": "淳安县",
    "330182": "建德市",
}


def division_name(code: str) -> str:
    return CITY_NAME if code == CITY else DIVISIONS[code]
