using DeviceTest.Framework.Specs;
using Microsoft.VisualStudio.TestPlatform.ObjectModel;

namespace DeviceTest.TestAdapter.Discovery;

/// <summary>A YAML test and the test case that stands for it.</summary>
internal sealed record DiscoveredTest(SpecTest Test, TestCase TestCase);
