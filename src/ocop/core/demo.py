"""Demo accounts for a deployment whose home area is Thái Nguyên with Bắc Kạn's history.

`ocop demo load` creates what is missing (idempotent); `make run` calls it and prints the table.
Every demo account uses the same password, printed with them. Never load the demo in production.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

DEMO_PASSWORD = "Demo@ocop2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    area_path: str | None
    organisation: str
    position: str = ""


DEMO_ACCOUNTS = [
    DemoAccount("admin", "Quản trị hệ thống", "system_admin", None, "Trung tâm Chuyển đổi số tỉnh"),
    DemoAccount(
        "vpdp.thainguyen",
        "Nguyễn Thị Hoa",
        "province_admin",
        "2025/19/",
        "Văn phòng Điều phối nông thôn mới tỉnh Thái Nguyên",
        "Chánh Văn phòng",
    ),
    DemoAccount(
        "canbo.tinh",
        "Trần Văn Minh",
        "province_officer",
        "2025/19/",
        "Văn phòng Điều phối nông thôn mới tỉnh Thái Nguyên",
        "Chuyên viên",
    ),
    DemoAccount(
        "socongthuong",
        "Lê Thị Thu",
        "department_officer",
        "2025/19/",
        "Sở Công Thương tỉnh Thái Nguyên",
        "Chuyên viên",
    ),
    DemoAccount(
        "xa.nari", "Hoàng Văn Đức", "commune_officer", "2025/19/02155/", "UBND xã Na Rì", "Công chức Kinh tế"
    ),
    DemoAccount(
        "xa.chodon", "Ma Thị Lan", "commune_officer", "2025/19/02020/", "UBND xã Chợ Đồn", "Công chức Kinh tế"
    ),
    # The commune of the demo producer (HTX Tài Hoan): its ideas, plans and dossiers come here.
    DemoAccount(
        "xa.conminh",
        "Triệu Văn Sơn",
        "commune_officer",
        "2025/19/02185/",
        "UBND xã Côn Minh",
        "Công chức Kinh tế",
    ),
    DemoAccount(
        "hoidong.chutich",
        "Vũ Đức Thành",
        "council_member",
        "2025/19/",
        "UBND tỉnh Thái Nguyên",
        "Chủ tịch Hội đồng",
    ),
    DemoAccount(
        "hoidong.tv1",
        "Phạm Quốc Hùng",
        "council_member",
        "2025/19/",
        "Sở Nông nghiệp và Môi trường tỉnh Thái Nguyên",
        "Thành viên Hội đồng",
    ),
    DemoAccount(
        "hoidong.tv2",
        "Đỗ Thị Hạnh",
        "council_member",
        "2025/19/",
        "Sở Công Thương tỉnh Thái Nguyên",
        "Thành viên Hội đồng",
    ),
    DemoAccount(
        "hoidong.tv3",
        "Lương Văn Tú",
        "council_member",
        "2025/19/",
        "Sở Y tế tỉnh Thái Nguyên",
        "Thành viên Hội đồng",
    ),
    DemoAccount(
        "hoidong.thuky",
        "Bế Thị Ngọc",
        "council_member",
        "2025/19/",
        "Văn phòng Điều phối nông thôn mới tỉnh Thái Nguyên",
        "Thư ký Hội đồng",
    ),
    DemoAccount("htx.taihoan", "Triệu Thị Hoan", "producer", "2025/19/02185/", "HTX Tài Hoan", "Giám đốc"),
    DemoAccount(
        "giamsat",
        "Đặng Văn Bình",
        "supervisor",
        "2025/19/",
        "Ban Tuyên giáo và Dân vận Tỉnh ủy",
        "Chuyên viên",
    ),
]


def load_demo_accounts() -> list[tuple[DemoAccount, bool]]:
    from ocop.accounts import services
    from ocop.accounts.models import Role, User
    from ocop.geo.models import AdminUnit

    results = []
    with transaction.atomic():
        admin = User.objects.filter(username="admin").first()
        if admin is None:
            spec = DEMO_ACCOUNTS[0]
            admin = services.bootstrap_admin(
                username=spec.username, password=DEMO_PASSWORD, full_name=spec.full_name
            )
            admin.organisation = spec.organisation
            admin.save(update_fields=["organisation"])
            results.append((spec, True))
        else:
            results.append((DEMO_ACCOUNTS[0], False))
        for spec in DEMO_ACCOUNTS[1:]:
            if User.objects.filter(username=spec.username).exists():
                results.append((spec, False))
                continue
            area = AdminUnit.objects.get(path=spec.area_path) if spec.area_path else None
            services.create_user(
                admin,
                username=spec.username,
                password=DEMO_PASSWORD,
                role=Role.objects.get(code=spec.role),
                area=area,
                full_name=spec.full_name,
                organisation=spec.organisation,
                position=spec.position,
                email=f"{spec.username}@demo.ocop.local",
            )
            results.append((spec, True))
    return results
