from django.contrib import admin

from contest.admin import ReadOnlyAdmin

from .models import (
    Bank,
    BlueprintRule,
    Category,
    Paper,
    PaperItem,
    Question,
    QuestionMedia,
    QuestionVersion,
    Tag,
)


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):
    list_display = ["name", "edition"]
    list_filter = ["edition"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "bank"]
    list_filter = ["bank"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]


class QuestionVersionInline(admin.TabularInline):
    model = QuestionVersion
    extra = 0
    fields = ["number", "qtype", "name", "created_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["id", "__str__", "qtype", "bank", "category"]
    list_filter = ["bank", "qtype", "tags"]
    search_fields = ["search_text"]
    inlines = [QuestionVersionInline]
    raw_id_fields = ["current_version"]


@admin.register(QuestionMedia)
class QuestionMediaAdmin(admin.ModelAdmin):
    list_display = ["original_name", "content_type", "size", "bank"]


class PaperItemInline(admin.TabularInline):
    model = PaperItem
    extra = 0
    raw_id_fields = ["question"]


class BlueprintRuleInline(admin.TabularInline):
    model = BlueprintRule
    extra = 0


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "edition"]
    inlines = [PaperItemInline, BlueprintRuleInline]


@admin.register(QuestionVersion)
class QuestionVersionAdmin(ReadOnlyAdmin):
    """Versions are written only by the authoring service; a frozen one never changes."""

    list_display = ["name", "number", "qtype", "question", "created_at", "frozen_at"]
    list_filter = ["qtype", "question__bank"]
    search_fields = ["name"]


@admin.register(PaperItem)
class PaperItemAdmin(admin.ModelAdmin):
    list_display = ["paper", "position", "question", "points"]
    list_filter = ["paper"]
    raw_id_fields = ["question"]


@admin.register(BlueprintRule)
class BlueprintRuleAdmin(admin.ModelAdmin):
    list_display = ["paper", "position", "bank", "category", "count", "points"]
    list_filter = ["paper"]
