"""Demo accounts: one per role, all with the password of DESIGN.md.

Authority is conferred the way a ministry administrator would: ``admin_gd``'s scope (广东) and the
employer's and officer's approvals go through the services, so they are logged like any other.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission

from smartedu.accounts import services
from smartedu.accounts.models import Province, Role, User
from smartedu.portal.registry import Progress

DEMO_PASSWORD = "smartedu-demo"

DEMO_ACCOUNTS = [
    # username, role, province code, institution, display name
    ("admin", Role.ADMIN, None, "教育部", "平台管理员"),
    ("admin_gd", Role.ADMIN, "44", "广东省教育厅", "广东省管理员"),
    ("student", Role.STUDENT, "11", "北京市第一中学", "学生小明"),
    ("teacher", Role.TEACHER, "11", "北京市第一中学 / 北京电子科技职业学院", "李老师"),
    ("graduate", Role.GRADUATE, "44", "中山大学", "毕业生小红"),
    ("employer", Role.EMPLOYER, "44", "深圳示例科技有限公司", "招聘专员"),
    ("officer", Role.OFFICER, "44", "中山大学就业指导中心", "就业老师"),
    ("counsellor", Role.COUNSELLOR, "44", "中山大学软件工程学院", "辅导员陈老师"),
    ("parent", Role.PARENT, "11", "", "小明妈妈"),
]

# The provincial administrator reaches the Django admin, where it sees and edits its province's accounts.
PROVINCIAL_ADMIN_PERMISSIONS = ("view_user", "change_user", "view_auditentry")
# The demo provincial administrator governs this province.
PROVINCIAL_ADMINS = {"admin_gd": "44"}


def seed_accounts(*, scale: str, progress: Progress) -> None:
    provinces = {p.code: p for p in Province.objects.all()}
    ministry: User | None = None
    for username, role, province_code, institution, display_name in progress(DEMO_ACCOUNTS, desc="accounts"):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = services.user_create(
                username=username,
                email=f"{username}@demo.smartedu.local",
                password=DEMO_PASSWORD,
                role=role,
                province=provinces.get(province_code) if province_code else None,
                institution=institution,
                first_name=display_name,
                is_staff=role == Role.ADMIN,
                is_superuser=username == "admin",
            )
        elif not user.check_password(DEMO_PASSWORD):
            services.user_password_set(user=user, password=DEMO_PASSWORD)
        if username == "admin":
            ministry = user
            continue
        assert ministry is not None  # the ministry account comes first
        if username in PROVINCIAL_ADMINS:
            scope = provinces[PROVINCIAL_ADMINS[username]]
            if user.admin_province_id != scope.pk:
                services.user_scope_set(actor=ministry, user=user, admin_province=scope)
            user.user_permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="accounts", codename__in=PROVINCIAL_ADMIN_PERMISSIONS
                )
            )
        elif user.needs_approval and user.approved_at is None:
            services.user_approve(user=user, approved_by=ministry)
