"""HD.07's distribution list as a demo organisation tree (Vĩnh Cửu district, Đồng Nai).

(code, name, short name, kind, parent code). The district level no longer exists since
1 July 2025; the tree is only demo data, editable like any other.
"""

UNITS = [
    ("UBND", "Ủy ban nhân dân huyện Vĩnh Cửu", "UBND huyện", "agency", None),
    ("VP", "Văn phòng HĐND và UBND huyện", "Văn phòng", "department", "UBND"),
    ("MOTCUA", "Bộ phận Một cửa huyện", "Một cửa", "one_stop", "VP"),
    ("TCD", "Bộ phận tiếp công dân", "Tiếp công dân", "reception", "VP"),
    ("TTR", "Thanh tra huyện", "Thanh tra", "department", "UBND"),
    ("PNV", "Phòng Nội vụ", "Nội vụ", "department", "UBND"),
    ("PTCKH", "Phòng Tài chính - Kế hoạch", "Tài chính - Kế hoạch", "department", "UBND"),
    ("PTNMT", "Phòng Tài nguyên và Môi trường", "Tài nguyên - Môi trường", "department", "UBND"),
    ("PVHTT", "Phòng Văn hóa và Thông tin", "Văn hóa - Thông tin", "department", "UBND"),
    ("PKTHT", "Phòng Kinh tế và Hạ tầng", "Kinh tế - Hạ tầng", "department", "UBND"),
    ("PLDTBXH", "Phòng Lao động - Thương binh và Xã hội", "Lao động - TB&XH", "department", "UBND"),
    ("PTP", "Phòng Tư pháp", "Tư pháp", "department", "UBND"),
    ("PGDDT", "Phòng Giáo dục và Đào tạo", "Giáo dục - Đào tạo", "department", "UBND"),
    ("PYT", "Phòng Y tế", "Y tế", "department", "UBND"),
    ("PDT", "Phòng Dân tộc", "Dân tộc", "department", "UBND"),
    (
        "PNNPTNT",
        "Phòng Nông nghiệp và Phát triển nông thôn",
        "Nông nghiệp - PTNT",
        "department",
        "UBND",
    ),
    (
        "VPDD",
        "Văn phòng Đăng ký đất đai huyện Vĩnh Cửu",
        "VP Đăng ký đất đai",
        "department",
        "UBND",
    ),
    ("XA", "UBND các xã, thị trấn", "Xã, thị trấn", "other", "UBND"),
    ("TT-VINHAN", "UBND thị trấn Vĩnh An", "TT Vĩnh An", "commune", "XA"),
    ("XA-TRIAN", "UBND xã Trị An", "Xã Trị An", "commune", "XA"),
    ("XA-THANHPHU", "UBND xã Thạnh Phú", "Xã Thạnh Phú", "commune", "XA"),
    ("XA-TANAN", "UBND xã Tân An", "Xã Tân An", "commune", "XA"),
    ("XA-MADA", "UBND xã Mã Đà", "Xã Mã Đà", "commune", "XA"),
]

# Địa danh before the date of documents: the district's for its departments (inherited), each
# commune's own.
PLACE_NAMES = {
    "UBND": "Vĩnh Cửu",
    "TT-VINHAN": "Vĩnh An",
    "XA-TRIAN": "Trị An",
    "XA-THANHPHU": "Thạnh Phú",
    "XA-TANAN": "Tân An",
    "XA-MADA": "Mã Đà",
}

# (code, unit code, name, kind, location)
SERVICE_POINTS = [
    (
        "MC-Q1",
        "MOTCUA",
        "Quầy 1 – Hộ tịch, chứng thực",
        "counter",
        "Tầng 1, Trung tâm hành chính công",
    ),
    ("MC-Q2", "MOTCUA", "Quầy 2 – Đất đai", "counter", "Tầng 1, Trung tâm hành chính công"),
    (
        "MC-Q3",
        "MOTCUA",
        "Quầy 3 – Xây dựng, kinh doanh",
        "counter",
        "Tầng 1, Trung tâm hành chính công",
    ),
    ("MC-KIOSK", "MOTCUA", "Ki-ốt đánh giá sảnh chính", "kiosk", "Sảnh chính"),
    ("TCD-BAN", "TCD", "Bàn tiếp công dân", "desk", "Phòng tiếp công dân"),
    ("VA-Q1", "TT-VINHAN", "Quầy một cửa thị trấn Vĩnh An", "counter", "UBND thị trấn Vĩnh An"),
    ("VA-KIOSK", "TT-VINHAN", "Máy tính bảng đánh giá – Vĩnh An", "kiosk", "UBND thị trấn Vĩnh An"),
    ("TA-Q1", "XA-TRIAN", "Quầy một cửa xã Trị An", "counter", "UBND xã Trị An"),
    ("TP-Q1", "XA-THANHPHU", "Quầy một cửa xã Thạnh Phú", "counter", "UBND xã Thạnh Phú"),
    ("TAN-Q1", "XA-TANAN", "Quầy một cửa xã Tân An", "counter", "UBND xã Tân An"),
    ("MD-Q1", "XA-MADA", "Quầy một cửa xã Mã Đà", "counter", "UBND xã Mã Đà"),
]

# (username, full name, role, title, scope unit codes)
STAFF = [
    ("quantri", "Trần Minh Quân", "admin", "Chuyên viên công nghệ thông tin", ["UBND"]),
    ("thuky", "Nguyễn Thị Thu Hà", "secretary", "Chuyên viên Văn phòng HĐND và UBND", ["UBND"]),
    ("lanhdao", "Phạm Văn Phước", "leader", "Chủ tịch UBND huyện", ["UBND"]),
    # The district's one-stop desk receives dossiers and petitions for every district unit.
    ("tiepnhan", "Lê Thị Hồng Nhung", "clerk", "Công chức Bộ phận Một cửa", ["UBND"]),
    ("tuphap", "Võ Thanh Tùng", "officer", "Chuyên viên Phòng Tư pháp", ["PTP"]),
    (
        "tainguyen",
        "Đặng Thị Mai",
        "officer",
        "Chuyên viên Phòng Tài nguyên và Môi trường",
        ["PTNMT"],
    ),
    # An inspector, granted denunciations (tố cáo) explicitly by load_demo.
    ("thanhtra", "Bùi Quang Huy", "officer", "Thanh tra viên Thanh tra huyện", ["TTR"]),
    (
        "vinhan",
        "Huỳnh Văn Lộc",
        "officer",
        "Công chức Văn phòng – Thống kê thị trấn Vĩnh An",
        ["TT-VINHAN"],
    ),
]

# Procedures received at the district one-stop desk's counters, by field (lĩnh vực).
POINT_FIELDS = {
    "MC-Q1": ["Hộ tịch", "Chứng thực"],
    "MC-Q2": ["Đất đai"],
    "MC-Q3": ["Xây dựng", "Kinh doanh"],
}


def demo_units_ensure() -> dict:
    """{code: Unit} of the demo tree, creating through `unit_save` the units not there yet (the
    demo load and the benchmark's data generator build the same tree)."""
    from hailong.organisation.models import Unit
    from hailong.organisation.services import unit_save

    units = {u.code: u for u in Unit.objects.all()}
    for order, (code, name, short, kind, parent) in enumerate(UNITS):
        if code not in units:
            unit = Unit(
                code=code,
                name=name,
                short_name=short,
                kind=kind,
                parent=units.get(parent) if parent else None,
                sort_order=order,
                place_name=PLACE_NAMES.get(code, ""),
            )
            units[code] = unit_save(unit=unit, actor=None)
    return units
