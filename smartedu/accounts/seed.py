"""Demo accounts: one per role, all with the password of DESIGN.md."""

from django.utils import timezone

from smartedu.accounts.models import Province, Role, User

DEMO_PASSWORD = "smartedu-demo"

DEMO_ACCOUNTS = [
    # username, role, province code, institution, display name
    ("admin", Role.ADMIN, None, "教育部", "平台管理员"),
    ("student", Role.STUDENT, "11", "北京市第一中学", "学生小明"),
    ("teacher", Role.TEACHER, "11", "北京市第一中学 / 北京电子科技职业学院", "李老师"),
    ("graduate", Role.GRADUATE, "44", "中山大学", "毕业生小红"),
    ("employer", Role.EMPLOYER, "44", "深圳示例科技有限公司", "招聘专员"),
    ("officer", Role.OFFICER, "44", "中山大学就业指导中心", "就业老师"),
]


def seed_accounts(*, scale: str, progress) -> None:
    provinces = {p.code: p for p in Province.objects.all()}
    admin = None
    for username, role, province_code, institution, display_name in progress(DEMO_ACCOUNTS, desc="accounts"):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "email": f"{username}@demo.smartedu.local",
                "province": provinces.get(province_code),
                "institution": institution,
                "first_name": display_name,
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
            },
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if role == Role.ADMIN:
            admin = user
        elif user.needs_approval and user.approved_at is None:
            user.approved_at = timezone.now()
            user.approved_by = admin
            user.save(update_fields=["approved_at", "approved_by"])
