# Loads a CloudFormation YAML template with its short-form tags (!Ref, !GetAtt, !Sub, ...) turned into
# the long JSON form ({"Ref": ...}, {"Fn::GetAtt": [...]}, ...), so checks can walk plain dicts and lists.
# PyYAML's SafeLoader would stop at the first unknown tag; python3-yaml is a Debian package.
import yaml

# Short tag → long name. !GetAtt and !Condition need special handling (below).
FUNCTION_TAGS = {
    "Ref": "Ref", "Sub": "Fn::Sub", "Join": "Fn::Join", "Select": "Fn::Select", "GetAZs": "Fn::GetAZs",
    "If": "Fn::If", "Equals": "Fn::Equals", "FindInMap": "Fn::FindInMap", "Base64": "Fn::Base64",
    "Split": "Fn::Split", "ImportValue": "Fn::ImportValue", "Not": "Fn::Not", "And": "Fn::And",
    "Or": "Fn::Or", "Cidr": "Fn::Cidr", "GetAtt": "Fn::GetAtt", "Condition": "Condition",
}


class TemplateError(Exception):
    """The file is not a readable CloudFormation template."""


class CfnLoader(yaml.SafeLoader):
    pass


def _construct(loader, node, long_name):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if long_name == "Fn::GetAtt" and isinstance(value, str):
        resource, dot, attribute = value.partition(".")  # !GetAtt Res.Attr (attribute may hold dots)
        if not dot:
            raise TemplateError(f"!GetAtt {value!r}: expected Resource.Attribute")
        value = [resource, attribute]
    return {long_name: value}


for _tag, _long_name in FUNCTION_TAGS.items():
    CfnLoader.add_constructor("!" + _tag, lambda loader, node, name=_long_name: _construct(loader, node, name))


def load_template(path):
    """Returns the template as a dict; raises TemplateError with the reason when it cannot."""
    try:
        with open(path, encoding="utf-8") as handle:
            template = yaml.load(handle, Loader=CfnLoader)  # noqa: S506 - CfnLoader derives from SafeLoader
    except OSError as error:
        raise TemplateError(f"cannot read {path}: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise TemplateError(f"{path} is not valid YAML: {error}") from error
    if not isinstance(template, dict) or not isinstance(template.get("Resources"), dict):
        raise TemplateError(f"{path} has no Resources mapping")
    return template
